import { ETCD_COMPONENT, KIND_ROLE_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL } from '../common/labels.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { UsageError } from '../common/kindlab-error.js';
import { metadataFromLabels, type LabMetadata } from './lab-metadata.js';
import { requireLabContainers } from './suspend-lab.js';
import { compareText } from '../common/compare-text.js';

export type LabPart = 'external etcd' | 'control planes' | 'load balancer' | 'workers' | 'other';

/**
 * The order `lab start` starts a lab's parts in; `lab stop` stops them in reverse. Why:
 * - external etcd first: every apiserver needs it, and it needs nothing.
 * - control planes together, without waiting for one: stacked etcd members need a quorum (2 of 3)
 *   before any of them is healthy, so waiting for the first before starting the second never ends.
 * - the load balancer once its backends run (haproxy resolves them by name through Docker's DNS).
 * - workers last: their kubelets reach the apiservers through the load balancer.
 * Stopping in reverse stops the clients before what they use, and etcd after every apiserver.
 */
export const START_ORDER: ReadonlyArray<{ part: LabPart; matches(c: ContainerInfo): boolean; stopTimeoutSeconds: number }> = [
  { part: 'external etcd', matches: (c) => c.labels[LAB_COMPONENT_LABEL] === ETCD_COMPONENT, stopTimeoutSeconds: 30 },
  // A node halts its systemd on SIGRTMIN+3; on a loaded host (load 55) control planes took over 30 s and were killed (exit 137), which etcd's WAL survives.
  { part: 'control planes', matches: (c) => c.labels[KIND_ROLE_LABEL] === 'control-plane', stopTimeoutSeconds: 30 },
  // haproxy holds no state and ignored the stop signal for the whole 30 s in the same run.
  { part: 'load balancer', matches: (c) => c.labels[KIND_ROLE_LABEL] === 'external-load-balancer', stopTimeoutSeconds: 5 },
  { part: 'workers', matches: (c) => c.labels[KIND_ROLE_LABEL] === 'worker', stopTimeoutSeconds: 30 },
  { part: 'other', matches: () => true, stopTimeoutSeconds: 30 },
];

export interface LabPartGroup {
  part: LabPart;
  containers: ContainerInfo[];
  stopTimeoutSeconds: number;
}

/** The lab's containers grouped by part, in start order; empty parts left out. */
export function startGroups(containers: readonly ContainerInfo[]): LabPartGroup[] {
  const left = [...containers].sort((a, b) => compareText(a.name, b.name));
  const groups: LabPartGroup[] = [];
  for (const { part, matches, stopTimeoutSeconds } of START_ORDER) {
    const taken = left.filter(matches);
    if (taken.length > 0) groups.push({ part, containers: taken, stopTimeoutSeconds });
    for (const c of taken) left.splice(left.indexOf(c), 1);
  }
  return groups;
}

export function stopGroups(containers: readonly ContainerInfo[]): LabPartGroup[] {
  return startGroups(containers).reverse();
}

/** A lab `lab stop`/`lab start` can work on: its containers and the metadata `lab up` recorded (none for a plain kind cluster). */
export interface FoundLab {
  containers: ContainerInfo[];
  metadata: LabMetadata | undefined;
}

/** The lab's containers (or "lab NAME does not exist", exit 3, as `lab status`), refused while it is suspended. */
export async function requireStoppableLab(docker: DockerCli, lab: string, verb: 'stop' | 'start'): Promise<FoundLab> {
  const containers = await requireLabContainers(docker, lab);
  const metadata = (await docker.volumesWithLabel(LAB_LABEL, lab)).map((v) => metadataFromLabels(v.labels)).find((m): m is LabMetadata => Boolean(m));
  const paused = containers.filter((c) => c.state === 'paused');
  if (paused.length > 0) {
    throw new UsageError(`lab ${lab} is suspended (${paused.map((c) => c.name).join(', ')} paused): cannot ${verb} it`, {
      hint: `resume it first with \`lab resume ${lab}\``,
    });
  }
  return { containers, metadata };
}
