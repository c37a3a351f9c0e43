import { LAB_LABEL, LAB_PARTICIPANT_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';

/**
 * The lab a command means by `name`: the pool lab handed to the participant of that name (`lab
 * claim NAME` keeps the kind cluster's own name, which is baked into its node names, and records the
 * participant on the lab), else the lab called `name`. Found by label, never by parsing names.
 */
export async function labForName(docker: Pick<DockerCli, 'containersWithLabel'>, name: string): Promise<string> {
  return labOfParticipant(await docker.containersWithLabel(LAB_PARTICIPANT_LABEL, name), name);
}

/** The same choice among containers already listed with their participant and lab labels. */
export function labOfParticipant(containers: ReadonlyArray<{ labels: Record<string, string> }>, name: string): string {
  return (
    containers
      .filter((c) => c.labels[LAB_PARTICIPANT_LABEL] === name)
      .map((c) => c.labels[LAB_LABEL])
      .find((lab): lab is string => Boolean(lab)) ?? name
  );
}
