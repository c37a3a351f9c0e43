import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where this host's /proc and cgroup v1 file system are (tests give directories of their own). */
export interface HostRoots {
  proc?: string;
  cgroup?: string;
}

/** Where a container's init is on this host: its /proc directory and its cgroup path per cgroup v1 controller. */
export interface ContainerOnHost {
  procDir: string;
  cgroupPaths: Map<string, string>;
}

/**
 * A running container's init as this host sees it, when the daemon runs here: its /proc directory
 * and its cgroup path per cgroup v1 controller. Undefined when `pid` (State.Pid) is not that
 * container's here: a daemon on another host, or the container gone and the pid reused. Its cgroup
 * names the container's id only then.
 */
export function containerOnHost(pid: number, containerId: string, roots: HostRoots = {}): ContainerOnHost | undefined {
  const procDir = join(roots.proc ?? '/proc', String(pid));
  const cgroupFile = join(procDir, 'cgroup');
  if (!existsSync(cgroupFile)) return undefined;
  // Lines `<id>:<controllers>:<path>`, e.g. `4:cpu,cpuacct:/docker/<container id>`.
  const cgroupPaths = new Map<string, string>();
  for (const line of readFileSync(cgroupFile, 'utf8').split('\n')) {
    const [, controllers = '', ...rest] = line.split(':');
    for (const controller of controllers.split(',')) if (controller) cgroupPaths.set(controller, rest.join(':'));
  }
  if (![...cgroupPaths.values()].some((path) => path.includes(containerId))) return undefined;
  return { procDir, cgroupPaths };
}

/**
 * A file inside a running container, read on this host through its init's root (/proc/<pid>/root)
 * instead of a `docker exec`; undefined when the host cannot (another host, or no permission: only
 * root, or the user the container runs as, may follow another process's root).
 */
export function readContainerFileOnHost(pid: number, containerId: string, path: string, roots: HostRoots = {}): string | undefined {
  try {
    const container = containerOnHost(pid, containerId, roots);
    return container ? readFileSync(join(container.procDir, 'root', path), 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
