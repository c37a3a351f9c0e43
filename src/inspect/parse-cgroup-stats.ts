import type { ContainerStats } from './snapshot.js';

/**
 * What a container's own cgroup v1 says of it, read inside the container: Docker mounts the
 * container's cgroup at /sys/fs/cgroup/<controller>, and kind's entrypoint does the same for its
 * nodes. One `cat` answers at once, where `docker stats --no-stream` waits about 2 s for a second sample.
 */
export const CGROUP_V1_STATS_ARGV = [
  'cat',
  '/sys/fs/cgroup/cpuacct/cpuacct.usage',
  '/sys/fs/cgroup/memory/memory.usage_in_bytes',
  '/sys/fs/cgroup/memory/memory.limit_in_bytes',
  '/sys/fs/cgroup/pids/pids.current',
  '/sys/fs/cgroup/memory/memory.stat',
] as const;

/** cgroup v1 writes "no limit" as the largest page-aligned 64-bit value. */
const NO_LIMIT = 2 ** 62;

/** Parses the output of CGROUP_V1_STATS_ARGV; undefined when it is not that output. */
export function parseCgroupV1Stats(text: string): ContainerStats | undefined {
  const lines = text.trim().split('\n');
  const [cpuNanos, usage, limit, pids] = lines.slice(0, 4).map((line) => Number(line.trim()));
  if ([cpuNanos, usage, limit, pids].some((n) => n === undefined || !Number.isFinite(n))) return undefined;
  const memoryStat = new Map(
    lines.slice(4).map((line) => {
      const [key, value] = line.trim().split(/\s+/);
      return [key ?? '', Number(value)] as const;
    }),
  );
  // Like `docker stats`: page cache that can be dropped (inactive files) does not count as use.
  const inactiveFile = memoryStat.get('total_inactive_file') ?? 0;
  return {
    memoryBytes: Math.max(0, usage! - (inactiveFile < usage! ? inactiveFile : 0)),
    // 0: the container has no memory limit of its own.
    memoryLimitBytes: limit! >= NO_LIMIT ? 0 : limit!,
    cpuSeconds: cpuNanos! / 1e9,
    pids: pids!,
  };
}
