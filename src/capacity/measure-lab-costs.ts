import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_LABEL } from '../common/labels.js';
import { sleep as realSleep } from '../common/sleep.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { isClaimContainer } from '../cluster/lab-claim.js';
import { CGROUP_V1_STATS_ARGV, parseCgroupV1Stats } from '../inspect/parse-cgroup-stats.js';
import type { LabCost } from './lab-cost.js';

/** What a lab's running containers use now, from their own cgroups (CPU over an interval); `nodes` counts kind's node containers only. */
export interface MeasuredLabUse extends Pick<LabCost, 'nodes' | 'memoryBytes' | 'cpuCores' | 'pids'> {
  lab: string;
  containers: number;
  intervalMs: number;
}

interface Reading {
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
}

/**
 * Reads each lab's running containers twice, `intervalMs` apart, all labs in the same window:
 * memory and pids from the second read, CPU as the cgroup's CPU time used between the two. Labs
 * with no running container are left out.
 */
export async function measureLabUse(docker: DockerCli, labs: readonly string[], options: MeasureOptions = {}): Promise<Map<string, MeasuredLabUse>> {
  const intervalMs = options.intervalMs ?? 5000;
  const containersOf = new Map<string, ContainerInfo[]>();
  for (const lab of labs) containersOf.set(lab, await runningContainers(docker, lab));
  const all = [...containersOf.values()].flat();
  const before = await readAll(docker, all);
  const t0 = Date.now();
  await (options.sleep ?? realSleep)(intervalMs);
  const after = await readAll(docker, all);
  const elapsedSeconds = Math.max(intervalMs, Date.now() - t0) / 1000;
  const result = new Map<string, MeasuredLabUse>();
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
      use.cpuCores +=
        a?.cpuSeconds !== undefined && b.cpuSeconds !== undefined ? Math.max(0, b.cpuSeconds - a.cpuSeconds) / elapsedSeconds : (b.cpuPercent ?? 0) / 100;
    }
    result.set(lab, use);
  }
  return result;
}

async function runningContainers(docker: DockerCli, lab: string): Promise<ContainerInfo[]> {
  const kind = await docker.containersWithLabel(KIND_CLUSTER_LABEL, lab);
  const own = (await docker.containersWithLabel(LAB_LABEL, lab)).filter((c) => !isClaimContainer(c) && !kind.some((k) => k.id === c.id));
  return [...kind, ...own].filter((c) => c.state === 'running');
}

/** One `cat` of the cgroup files per container; one `docker stats` for those it cannot read. */
async function readAll(docker: DockerCli, containers: readonly ContainerInfo[]): Promise<Map<string, Reading>> {
  const readings = new Map<string, Reading>();
  await Promise.all(
    containers.map(async (c) => {
      const read = await docker.exec(c.id, CGROUP_V1_STATS_ARGV, { allowFailure: true, timeoutMs: 10_000 }).catch(() => undefined);
      const stats = read?.exitCode === 0 ? parseCgroupV1Stats(read.stdout) : undefined;
      if (stats) readings.set(c.id, { memoryBytes: stats.memoryBytes, cpuSeconds: stats.cpuSeconds, pids: stats.pids ?? 0 });
    }),
  );
  const missing = containers.filter((c) => !readings.has(c.id)).map((c) => c.id);
  for (const [id, sample] of await docker.stats(missing)) {
    readings.set(id, { memoryBytes: sample.memoryBytes, cpuPercent: sample.cpuPercent, pids: sample.pids ?? 0 });
  }
  return readings;
}
