import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_V1_STATS_ARGV } from './parse-cgroup-stats.js';

const CONTAINER_CGROUP_ROOT = '/sys/fs/cgroup/';

/**
 * What CGROUP_V1_STATS_ARGV prints inside a container, read from this host's cgroup file system
 * instead, without a `docker exec`: the container's cgroup v1 directories are the ones Docker mounts
 * at /sys/fs/cgroup/<controller> inside it, so the files and their values are the same.
 *
 * `pid` is the container's init (State.Pid). Undefined, so the caller execs instead, when the host
 * does not hold that cgroup: a daemon on another host (the pid is not the container's here), cgroup
 * v2, or a file that cannot be read.
 */
export function readHostCgroupStats(pid: number, containerId: string, roots: { proc?: string; cgroup?: string } = {}): string | undefined {
  try {
    const procFile = join(roots.proc ?? '/proc', String(pid), 'cgroup');
    if (!existsSync(procFile)) return undefined;
    // Lines `<id>:<controllers>:<path>`, e.g. `4:cpu,cpuacct:/docker/<container id>`.
    const pathOf = new Map<string, string>();
    for (const line of readFileSync(procFile, 'utf8').split('\n')) {
      const [, controllers = '', ...rest] = line.split(':');
      for (const controller of controllers.split(',')) pathOf.set(controller, rest.join(':'));
    }
    const files = CGROUP_V1_STATS_ARGV.slice(1).map((file) => {
      const [controller = '', ...name] = file.slice(CONTAINER_CGROUP_ROOT.length).split('/');
      const path = pathOf.get(controller);
      // The pid is the host's only when the daemon runs here: then its cgroup names the container's id.
      if (!path?.includes(containerId)) return undefined;
      return join(roots.cgroup ?? CONTAINER_CGROUP_ROOT, controller, path, ...name);
    });
    if (files.some((file) => file === undefined)) return undefined;
    return files.map((file) => readFileSync(file!, 'utf8')).join('');
  } catch {
    return undefined;
  }
}
