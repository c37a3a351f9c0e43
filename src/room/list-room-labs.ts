import { LAB_ROOM_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { metadataFromLabels } from '../cluster/lab-metadata.js';

/** The labs a `lab up --prefix <room>` created: found by the room label on their records, never by name. */
export async function listRoomLabs(docker: Pick<DockerCli, 'volumesWithLabel'>, room: string): Promise<string[]> {
  const volumes = await docker.volumesWithLabel(LAB_ROOM_LABEL, room);
  const names = volumes.map((v) => metadataFromLabels(v.labels)?.name).filter((n): n is string => Boolean(n));
  return [...new Set(names)].sort();
}
