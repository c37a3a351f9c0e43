import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_LABEL } from '../common/labels.js';
import { sleep as realSleep } from '../common/sleep.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { isClaimContainer } from '../cluster/lab-claim.js';
import { CGROUP_V1_STATS_ARGV, parseCgroupV1Stats } from '../inspect/parse-cgroup-stats.js';
import { readHostCgroupStats } from '../inspect/read-host-cgroup-stats.js';
import type { LabCost } from './lab-cost.js';

/** What a lab's running containers use now, from their own cgroups (CPU over an interval); `nodes` counts kind's node containers only. */
export interface MeasuredLabUse extends Pick<LabCost, 'nodes' | 'memoryBytes' | 'cpuCores' | 'pids'> {
  lab: string;
  containers: number;
  intervalMs: number;
}

interface Reading {
  atMs: number;
  memoryBytes: number;
  cpuSeconds?: number;
  /** From `docker stats` when the container has no `cat` (distroless etcd) or no cgroup v1. */
  cpuPercent?: number;
  pids: number;
}

export interface MeasureOptions {
  /** Between the two reads of the CPU counters (default 5 s: at 15 % of a core, 0.75 s of CPU time to count). */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * CPU counters read by an earlier run (`lab status` keeps them in its home): when every container
   * has one at least `intervalMs` and at most EARLIER_MAX_AGE_MS old, CPU is the use since then and
   * there is no second read, so a repeated status answers at once.
   */
  earlier?: CpuCounterReads;
  now?: () => number;
  /** The labs' containers, already inspected for this command (readLabObjects): then none are listed here. */
  containers?: readonly ContainerInfo[];
}

/** Container id -> its cgroup's CPU time (s) and when it was read (ms since the epoch). */
export type CpuCounterReads = Record<string, { cpuSeconds: number; atMs: number }>;

/** Older reads are a poor "now": a lab idle for an hour after a busy start would look idle before it was. */
export const EARLIER_MAX_AGE_MS = 15 * 60_000;

export interface MeasuredUse {
  byLab: Map<string, MeasuredLabUse>;
  /** This run's counter reads, for the next run's `earlier`. */
  reads: CpuCounterReads;
}

/**
 * Reads each lab's running containers twice, `intervalMs` apart, all labs in the same window (or
 * once, against `earlier` reads of the same containers): memory and pids from the last read, CPU as
 * the cgroup's CPU time used between the two. Labs with no running container are left out.
 */
export async function measureLabUse(docker: DockerCli, labs: readonly string[], options: MeasureOptions = {}): Promise<Map<string, MeasuredLabUse>> {
  return (await measureLabUseWithReads(docker, labs, options)).byLab;
}

export async function measureLabUseWithReads(docker: DockerCli, labs: readonly string[], options: MeasureOptions = {}): Promise<MeasuredUse> {
  const intervalMs = options.intervalMs ?? 5000;
  const now = options.now ?? Date.now;
  const containersOf = new Map<string, ContainerInfo[]>();
  for (const lab of labs) containersOf.set(lab, runningOf(options.containers ?? (await labContainers(docker, lab)), lab));
  const all = [...containersOf.values()].flat();
  let before = await readAll(docker, all, now);
  let after = before;
  const usable = (id: string): boolean => {
    const earlier = options.earlier?.[id];
    const age = earlier ? (before.get(id)?.atMs ?? 0) - earlier.atMs : -1;
    return age >= intervalMs && age <= EARLIER_MAX_AGE_MS;
  };
  const counted = all.filter((c) => before.get(c.id)?.cpuSeconds !== undefined);
  // With nothing counted (no running container, or none whose cgroup it can read) a second read adds no
  // CPU time to count: there is no interval to wait out (a status of a stopped lab answers at once).
  if (counted.length > 0 && counted.every((c) => usable(c.id))) {
    before = new Map(counted.map((c) => [c.id, { ...before.get(c.id)!, ...options.earlier![c.id]! }]));
  } else if (counted.length > 0) {
    await (options.sleep ?? realSleep)(intervalMs);
    after = await readAll(docker, all, now);
  }
  const byLab = new Map<string, MeasuredLabUse>();
  let windowMs = 0;
  for (const [lab, containers] of containersOf) {
    if (containers.length === 0) continue;
    const use: MeasuredLabUse = {
      lab,
      containers: containers.length,
      nodes: containers.filter((c) => ['control-plane', 'worker'].includes(c.labels[KIND_ROLE_LABEL] ?? '')).length,
      memoryBytes: 0,
      cpuCores: 0,
      pids: 0,
      intervalMs,
    };
    for (const c of containers) {
      const a = before.get(c.id);
      const b = after.get(c.id);
      if (!b) continue;
      use.memoryBytes += b.memoryBytes;
      use.pids += b.pids;
      if (a?.cpuSeconds !== undefined && b.cpuSeconds !== undefined) {
        // Never shorter than asked: the reads themselves take time the sleep does not count.
        const elapsedMs = Math.max(intervalMs, b.atMs - a.atMs);
        windowMs = Math.max(windowMs, elapsedMs);
        use.cpuCores += Math.max(0, b.cpuSeconds - a.cpuSeconds) / (elapsedMs / 1000);
      } else {
        use.cpuCores += (b.cpuPercent ?? 0) / 100;
      }
    }
    byLab.set(lab, use);
  }
  for (const use of byLab.values()) use.intervalMs = Math.max(intervalMs, Math.round(windowMs));
  const reads: CpuCounterReads = {};
  for (const [id, r] of after) if (r.cpuSeconds !== undefined) reads[id] = { cpuSeconds: r.cpuSeconds, atMs: r.atMs };
  return { byLab, reads };
}

async function labContainers(docker: DockerCli, lab: string): Promise<ContainerInfo[]> {
  return [...(await docker.containersWithLabel(KIND_CLUSTER_LABEL, lab)), ...(await docker.containersWithLabel(LAB_LABEL, lab))];
}

/** The lab's running containers, each once: kind's (nodes, load balancer), then kindlab's own (external etcd). */
function runningOf(containers: readonly ContainerInfo[], lab: string): ContainerInfo[] {
  const kind = containers.filter((c) => c.labels[KIND_CLUSTER_LABEL] === lab);
  const own = containers.filter((c) => c.labels[LAB_LABEL] === lab && !isClaimContainer(c) && !kind.some((k) => k.id === c.id));
  return [...kind, ...own].filter((c) => c.state === 'running');
}

/** The cgroup files of each container (from the host, else one `cat` in it); one `docker stats` for those it cannot read. */
async function readAll(docker: DockerCli, containers: readonly ContainerInfo[], now: () => number): Promise<Map<string, Reading>> {
  const readings = new Map<string, Reading>();
  await Promise.all(
    containers.map(async (c) => {
      // From this host's cgroup file system when the daemon runs here: no `docker exec` per container.
      const local = c.pid ? readHostCgroupStats(c.pid, c.id) : undefined;
      const read =
        local !== undefined
          ? { exitCode: 0, stdout: local }
          : await docker.exec(c.id, CGROUP_V1_STATS_ARGV, { allowFailure: true, timeoutMs: 10_000 }).catch(() => undefined);
      const stats = read?.exitCode === 0 ? parseCgroupV1Stats(read.stdout) : undefined;
      if (stats) readings.set(c.id, { atMs: now(), memoryBytes: stats.memoryBytes, cpuSeconds: stats.cpuSeconds, pids: stats.pids ?? 0 });
    }),
  );
  const missing = containers.filter((c) => !readings.has(c.id)).map((c) => c.id);
  for (const [id, sample] of await docker.stats(missing)) {
    readings.set(id, { atMs: now(), memoryBytes: sample.memoryBytes, cpuPercent: sample.cpuPercent, pids: sample.pids ?? 0 });
  }
  return readings;
}
