import { formatBytes } from '../common/format-bytes.js';
import { MEMORY_NEED } from '../host/check-host-limits.js';
import type { HostResources } from './host-resources.js';
import type { LabCost } from './lab-cost.js';

/**
 * What stays free for the host itself, so "fits" means the labs still pass `lab verify`:
 * - CPU: idle labs may use 80 % of the cores; the rest is for kubectl, `lab verify`, the tour and
 *   the bursts of a lab's controllers (the issue measured load 16 on 2 cores while verifying 10 labs).
 * - memory: what `lab host prepare` keeps for the host (MEMORY_NEED.baseBytes) out of MemAvailable.
 * - pids: 10 % of the limit, so the host can still fork when the labs have taken theirs.
 * - disk: 1 GiB for container logs and image layers pulled later.
 */
export const CAPACITY_RESERVE = {
  cpuShareForLabs: 0.8,
  memoryBytes: MEMORY_NEED.baseBytes,
  pidShare: 0.1,
  diskBytes: 1024 ** 3,
} as const;

export type CapacityResource = 'memory' | 'cpu' | 'inotify' | 'pids' | 'disk';

export interface ResourceFit {
  resource: CapacityResource;
  /** How many more labs of the shape this resource allows. */
  fits: number;
  /** The arithmetic, in words. */
  detail: string;
}

export interface CapacityFit {
  /** How many more labs fit: the smallest of the resources. */
  fits: number;
  /** The resource that sets it (the first of the smallest, in the order of `resources`). */
  binding: CapacityResource;
  resources: ResourceFit[];
}

export interface LabsNow {
  /** CPU used now by the running labs (measured from their cgroups), in cores. */
  cpuCores: number;
  /** kind nodes on the daemon now (labs and plain kind clusters): they hold inotify instances. */
  nodes: number;
}

/** How many more labs costing `cost` each fit on `host`, per resource, and which resource binds. */
export function fitLabs(host: HostResources, cost: LabCost, now: LabsNow): CapacityFit {
  const perNodeInotify = cost.inotifyInstances / Math.max(1, cost.nodes);
  const inotifyInUse = Math.round(now.nodes * perNodeInotify);
  const cpuBudget = host.cores * CAPACITY_RESERVE.cpuShareForLabs;
  const memoryBudget = host.memoryAvailableBytes - CAPACITY_RESERVE.memoryBytes;
  const pidBudget = Math.floor(host.pidLimit * (1 - CAPACITY_RESERVE.pidShare)) - host.pidsInUse;
  const diskBudget = host.diskFreeBytes - CAPACITY_RESERVE.diskBytes;
  const resources: ResourceFit[] = [
    {
      resource: 'memory',
      fits: count(memoryBudget, cost.memoryBytes),
      detail: `${formatBytes(host.memoryAvailableBytes)} available - ${formatBytes(CAPACITY_RESERVE.memoryBytes)} kept for the host, ${formatBytes(cost.memoryBytes)} per lab`,
    },
    {
      resource: 'cpu',
      fits: count(cpuBudget - now.cpuCores, cost.cpuCores),
      detail: `${pct(CAPACITY_RESERVE.cpuShareForLabs)} of ${host.cores} core(s) for idle labs = ${cpuBudget.toFixed(2)}, running labs use ${now.cpuCores.toFixed(2)}, ${cost.cpuCores.toFixed(2)} per lab`,
    },
    {
      resource: 'inotify',
      fits: count(host.inotifyMaxUserInstances - inotifyInUse, cost.inotifyInstances),
      detail: `fs.inotify.max_user_instances ${host.inotifyMaxUserInstances}, ${now.nodes} kind node(s) hold about ${inotifyInUse}, ${cost.inotifyInstances} per lab`,
    },
    {
      resource: 'pids',
      fits: count(pidBudget, cost.pids),
      detail: `${host.pidLimit} pids - ${pct(CAPACITY_RESERVE.pidShare)} kept - ${host.pidsInUse} threads now, ${cost.pids} per lab`,
    },
    {
      resource: 'disk',
      fits: count(diskBudget, cost.diskBytes),
      detail: `${formatBytes(host.diskFreeBytes)} free under ${host.dockerRootDir} - ${formatBytes(CAPACITY_RESERVE.diskBytes)} kept, ${formatBytes(cost.diskBytes)} per lab`,
    },
  ];
  const binding = resources.reduce((min, r) => (r.fits < min.fits ? r : min));
  return { fits: binding.fits, binding: binding.resource, resources };
}

function count(budget: number, perLab: number): number {
  return perLab > 0 ? Math.max(0, Math.floor(budget / perLab)) : 0;
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}
