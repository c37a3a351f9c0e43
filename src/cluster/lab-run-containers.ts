import { KIND_CLUSTER_LABEL, LAB_LABEL } from '../common/labels.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { isRecordContainer } from './lab-claim.js';
import { compareText } from '../common/compare-text.js';

/**
 * The containers that run a lab: kind's (nodes, load balancer, by kind's cluster label) and
 * kindlab's own (external etcd, by dev.kindlab.lab), without the never-started containers that only
 * hold a record (the name claim, the participant). Found by label, never by name.
 */
export async function labRunContainers(docker: DockerCli, lab: string): Promise<ContainerInfo[]> {
  const [kind, labelled] = await Promise.all([docker.containersWithLabel(KIND_CLUSTER_LABEL, lab), docker.containersWithLabel(LAB_LABEL, lab)]);
  const own = labelled.filter((c) => !isRecordContainer(c) && !kind.some((k) => k.id === c.id));
  return [...kind, ...own].sort((a, b) => compareText(a.name, b.name));
}
