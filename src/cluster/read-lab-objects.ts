import { KIND_CLUSTER_LABEL, LAB_LABEL, LAB_PARTICIPANT_LABEL, LAB_POOL_LABEL } from '../common/labels.js';
import type { ContainerInfo, DockerCli, LabelledObject, ListedContainer } from '../docker/docker-cli.js';
import { labOfParticipant } from './lab-for-name.js';
import { METADATA_LABEL_KEYS } from './lab-metadata.js';

/** The Docker objects labs are made of, read once per command and shared by everything it shows. */
export interface LabObjects {
  /** Containers carrying kind's cluster label or kindlab's lab label (the never-started records included), inspected. */
  containers: ContainerInfo[];
  /** Volumes carrying kindlab's lab label (the metadata volume, the external etcd's PKI), with the labels a status reads. */
  volumes: LabelledObject[];
}

/** The labels the one container listing carries: enough to pick a lab's containers and resolve a participant. */
const LISTED_LABELS = [KIND_CLUSTER_LABEL, LAB_LABEL, LAB_PARTICIPANT_LABEL] as const;
/** The labels of the volume listing: the lab's metadata and the pool it was made for. */
const VOLUME_LABELS = [...METADATA_LABEL_KEYS, LAB_POOL_LABEL] as const;

/**
 * The objects of one lab, or of every lab when no name is given, from three docker runs: one `docker
 * ps --all` (with the labels) alongside one `docker volume ls` (with the labels), then one `docker
 * container inspect` of the chosen containers. Label filters of `docker ps` must all match, so one
 * listing with the labels' values replaces a listing (and inspect) per label.
 *
 * `participants`: the name may be the participant a pool lab was handed to (see labForName); `lab`
 * is then the lab it was handed.
 */
export async function readLabObjects(
  docker: Pick<DockerCli, 'listAllContainers' | 'inspectContainers' | 'listVolumes'>,
  name?: string,
  options: { participants?: boolean } = {},
): Promise<LabObjects & { lab: string | undefined }> {
  const volumes = docker.listVolumes(LAB_LABEL, VOLUME_LABELS);
  // Not left unobserved if the listing fails first: the listing's error is the one reported.
  volumes.catch(() => undefined);
  const listed = await docker.listAllContainers(LISTED_LABELS);
  const lab = name !== undefined && options.participants ? labOfParticipant(listed, name) : name;
  const chosen = listed.filter((c) => (lab === undefined ? isLabContainer(c) : c.labels[KIND_CLUSTER_LABEL] === lab || c.labels[LAB_LABEL] === lab));
  const [containers, allVolumes] = await Promise.all([docker.inspectContainers(chosen), volumes]);
  return { lab, containers, volumes: lab === undefined ? allVolumes : allVolumes.filter((v) => v.labels[LAB_LABEL] === lab) };
}

function isLabContainer(c: ListedContainer): boolean {
  return Boolean(c.labels[KIND_CLUSTER_LABEL] || c.labels[LAB_LABEL]);
}
