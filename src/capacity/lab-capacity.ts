import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { metadataFromLabels, type LabMetadata } from '../cluster/lab-metadata.js';
import type { HostFilesystem } from '../host/host-filesystem.js';
import { nodeCount } from '../topology/build-topology-spec.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { fitLabs, type CapacityFit } from './fit-labs.js';
import { readHostResources, type HostResources } from './host-resources.js';
import type { LabCost } from './lab-cost.js';
import { measureLabUse, type MeasuredLabUse, type MeasureOptions } from './measure-lab-costs.js';
import { recordedLabCost } from './recorded-lab-costs.js';

/** The shape of a lab as capacity sees it: what it runs, not what it is called. */
export type LabShape = Pick<TopologySpec, 'kind' | 'controlPlanes' | 'workers' | 'etcd' | 'profile'>;

export interface LabCapacity {
  shape: LabShape;
  cost: LabCost;
  /** The running labs of this shape the cost was measured on (empty: the recorded cost). */
  measuredOn: MeasuredLabUse[];
  /** Every running lab's use now. */
  running: MeasuredLabUse[];
  host: HostResources;
  fit: CapacityFit;
}

export interface CapacityDeps {
  docker: DockerCli;
  fs: HostFilesystem;
  cores?: number;
}

/**
 * `lab capacity`: how many more labs of `shape` this host holds. The per-lab cost comes from the
 * running labs of that shape, measured now from their cgroups (memory, CPU, pids); disk and inotify,
 * which cannot be read from a cgroup, and labs of a shape none runs come from the recorded costs
 * (templates/capacity/lab-costs.json).
 */
export async function labCapacity(deps: CapacityDeps, shape: LabShape, options: MeasureOptions = {}): Promise<LabCapacity> {
  const labs = await managedLabs(deps.docker);
  const use = await measureLabUse(
    deps.docker,
    labs.map((l) => l.name),
    options,
  );
  const running = [...use.values()];
  const sameShape = labs.filter((l) => isShape(l, shape) && use.has(l.name)).map((l) => use.get(l.name) as MeasuredLabUse);
  const cost = costOf(shape, sameShape);
  const nodes = (await deps.docker.containersWithLabel(KIND_CLUSTER_LABEL)).filter(
    (c) => c.state === 'running' && ['control-plane', 'worker'].includes(c.labels[KIND_ROLE_LABEL] ?? ''),
  ).length;
  const host = await readHostResources(deps.fs, await deps.docker.rootDir(), deps.cores);
  const fit = fitLabs(host, cost, { cpuCores: sum(running.map((r) => r.cpuCores)), nodes });
  return { shape, cost, measuredOn: sameShape, running, host, fit };
}

/** The recorded cost scaled to the shape's nodes, with memory, CPU and pids replaced by the mean of the measured labs. */
export function costOf(shape: LabShape, measured: readonly MeasuredLabUse[]): LabCost {
  const recorded = recordedLabCost(shape.kind, shape.profile);
  const nodes = nodeCount(shape);
  const scale = nodes / recorded.nodes;
  const scaled: LabCost = {
    ...recorded,
    nodes,
    memoryBytes: Math.round(recorded.memoryBytes * scale),
    cpuCores: recorded.cpuCores * scale,
    pids: Math.round(recorded.pids * scale),
    diskBytes: Math.round(recorded.diskBytes * scale),
    inotifyInstances: Math.round(recorded.inotifyInstances * scale),
    source: scale === 1 ? recorded.source : `${recorded.source}, scaled to ${nodes} node(s)`,
  };
  if (measured.length === 0) return scaled;
  const mean = (values: number[]) => sum(values) / values.length;
  return {
    ...scaled,
    memoryBytes: Math.round(mean(measured.map((m) => m.memoryBytes))),
    cpuCores: mean(measured.map((m) => m.cpuCores)),
    pids: Math.round(mean(measured.map((m) => m.pids))),
    source: `measured now on ${measured.map((m) => m.lab).join(', ')} (disk and inotify: ${scaled.source})`,
  };
}

export async function managedLabs(docker: DockerCli): Promise<LabMetadata[]> {
  const volumes = await docker.volumesWithLabel(LAB_LABEL);
  return volumes.map((v) => metadataFromLabels(v.labels)).filter((m): m is LabMetadata => Boolean(m));
}

function isShape(lab: LabMetadata, shape: LabShape): boolean {
  // A workshop lab idles at a fraction of a default one's CPU: only labs of the same profile say what another costs.
  return (
    lab.topology === shape.kind &&
    lab.etcd === shape.etcd &&
    lab.controlPlanes === shape.controlPlanes &&
    lab.workers === shape.workers &&
    (lab.profile ?? 'default') === (shape.profile ?? 'default')
  );
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
