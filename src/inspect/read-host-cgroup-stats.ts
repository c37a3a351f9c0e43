import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerOnHost, type HostRoots } from './container-on-host.js';
import { CGROUP_V1_STATS_ARGV } from './parse-cgroup-stats.js';

const CONTAINER_CGROUP_ROOT = '/sys/fs/cgroup/';

/**
 * What CGROUP_V1_STATS_ARGV prints inside a container, read from this host's cgroup file system
 * instead, without a `docker exec`: the container's cgroup v1 directories are the ones Docker mounts
 * at /sys/fs/cgroup/<controller> inside it, so the files and their values are the same.
 *
 * `pid` is the container's init (State.Pid). Undefined, so the caller execs instead, when the host
 * does not hold that cgroup: a daemon on another host (see containerOnHost), cgroup v2, or a file
 * that cannot be read.
 */
export function readHostCgroupStats(pid: number, containerId: string, roots: HostRoots = {}): string | undefined {
  try {
    const container = containerOnHost(pid, containerId, roots);
    if (!container) return undefined;
    const files = CGROUP_V1_STATS_ARGV.slice(1).map((file) => {
      const [controller = '', ...name] = file.slice(CONTAINER_CGROUP_ROOT.length).split('/');
      const path = container.cgroupPaths.get(controller);
      return path?.includes(containerId) ? join(roots.cgroup ?? CONTAINER_CGROUP_ROOT, controller, path, ...name) : undefined;
    });
    if (files.some((file) => file === undefined)) return undefined;
    return files.map((file) => readFileSync(file!, 'utf8')).join('');
  } catch {
    return undefined;
  }
}
