import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Thaws every frozen cgroup v1 freezer under the one that holds `pid` (a node container's init) and
 * returns the freezer directories it thawed.
 *
 * Why: runc freezes a container's cgroup while it changes its settings and thaws it afterwards. When
 * a node is killed while the runc inside it (kubelet creating a pod's container) sits in between,
 * the pod's scope stays FROZEN, its `runc init` waits in the freezer, and the node never exits:
 * `docker rm --force` answers "tried to kill container, but did not receive an exit event" (seen in
 * CI with `lab up` interrupted at its pods step on a loaded 2-core host). Thawed, it dies at once.
 *
 * Only the cgroups below the node's own are touched. A daemon on another host (the pid is not this
 * host's), or cgroup v2 (no freezer.state files), leaves nothing to find: the caller then reports
 * Docker's error as is.
 */
export function thawFrozenCgroups(pid: number, containerId: string, roots: { proc?: string; cgroup?: string } = {}): string[] {
  const procFile = join(roots.proc ?? '/proc', String(pid), 'cgroup');
  if (!existsSync(procFile)) return [];
  const line = readFileSync(procFile, 'utf8')
    .split('\n')
    .find((l) => l.split(':')[1]?.split(',').includes('freezer'));
  const path = line?.split(':').slice(2).join(':');
  // The pid is the host's only when the daemon runs here: then its cgroup names the container's id.
  if (!path || !path.includes(containerId)) return [];
  const top = join(roots.cgroup ?? '/sys/fs/cgroup', 'freezer', path);
  const thawed: string[] = [];
  const visit = (dir: string): void => {
    const state = join(dir, 'freezer.state');
    if (existsSync(state) && readFileSync(state, 'utf8').trim() !== 'THAWED') {
      writeFileSync(state, 'THAWED');
      thawed.push(dir);
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) visit(join(dir, entry.name));
  };
  if (existsSync(top)) visit(top);
  return thawed;
}
