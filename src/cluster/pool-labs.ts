import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_LABEL, LAB_PARTICIPANT_LABEL, LAB_POOL_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { metadataFromLabels } from './lab-metadata.js';
import { compareText } from '../common/compare-text.js';

/** A lab of a warm pool, as `lab pool fill` counts them and `lab claim` picks one. */
export interface PoolLab {
  name: string;
  createdAt: string;
  /** The lab's node image: present on the daemon, so the never-started participant record can be made from it. */
  nodeImage: string;
  /** The participant it was handed to (`lab claim`), if any. */
  participant: string | undefined;
  /** Every node container frozen (`lab suspend`): ready to hand out after a thaw. */
  suspended: boolean;
  /** Every node container running (kept so by `lab pool fill --running`): ready to hand out at once. */
  running: boolean;
}

/**
 * The labs of one pool, oldest first: found by the dev.kindlab.pool label on their records, their
 * participants by the dev.kindlab.participant label, their state from kind's node containers.
 */
export async function listPoolLabs(docker: DockerCli, pool: string): Promise<PoolLab[]> {
  const [volumes, records, nodes] = await Promise.all([
    docker.volumesWithLabel(LAB_POOL_LABEL, pool),
    docker.containersWithLabel(LAB_PARTICIPANT_LABEL),
    docker.containersWithLabel(KIND_CLUSTER_LABEL),
  ]);
  const labs: PoolLab[] = [];
  for (const volume of volumes) {
    const metadata = metadataFromLabels(volume.labels);
    if (!metadata) continue;
    const own = nodes.filter((c) => c.labels[KIND_CLUSTER_LABEL] === metadata.name && c.labels[KIND_ROLE_LABEL] !== 'external-load-balancer');
    labs.push({
      name: metadata.name,
      createdAt: metadata.createdAt,
      nodeImage: metadata.nodeImage,
      participant: records.find((c) => c.labels[LAB_LABEL] === metadata.name)?.labels[LAB_PARTICIPANT_LABEL],
      suspended: own.length > 0 && own.every((c) => c.state === 'paused'),
      running: own.length > 0 && own.every((c) => c.state === 'running'),
    });
  }
  return labs.sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.name, b.name));
}
