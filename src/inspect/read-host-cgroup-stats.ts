import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerOnHost, type ContainerOnHost, type HostRoots } from './container-on-host.js';
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
    return container ? readContainerCgroupStats(container, containerId, roots) : undefined;
  } catch {
    return undefined;
  }
}

/** readHostCgroupStats for a container containerOnHost has already found here (read-node-on-host.ts). */
export function readContainerCgroupStats(container: ContainerOnHost, containerId: string, roots: HostRoots = {}): string | undefined {
  try {
    const files = CGROUP_V1_STATS_ARGV.slice(1).map((file) => {
      const [controller = '', ...name] = file.slice(CONTAINER_CGROUP_ROOT.length).split('/');
      const path = containerCgroup(container.cgroupPaths.get(controller), containerId);
      return path === undefined ? undefined : join(roots.cgroup ?? CONTAINER_CGROUP_ROOT, controller, path, ...name);
    });
    if (files.some((file) => file === undefined)) return undefined;
    return files.map((file) => readFileSync(file!, 'utf8')).join('');
  } catch {
    return undefined;
  }
}

/**
 * The container's own cgroup, the one mounted at /sys/fs/cgroup/<controller> inside it, from its
 * init's: kind's node moves its init (systemd) into `init.scope` below it, so the path is cut after
 * the segment that names the container (`/docker/<id>`, `/system.slice/docker-<id>.scope`).
 */
function containerCgroup(initPath: string | undefined, containerId: string): string | undefined {
  const segments = initPath?.split('/') ?? [];
  const at = segments.findIndex((segment) => segment.includes(containerId));
  return at === -1 ? undefined : segments.slice(0, at + 1).join('/');
}
