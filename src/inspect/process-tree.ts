export interface TreeInput {
  pid: number;
  ppid: number;
}

export interface TreeRow<T extends TreeInput> {
  process: T;
  /** 0 for a root; `ps f` draws ` \_ ` from depth 1 on. */
  depth: number;
}

/**
 * Orders processes the way `ps f` (procps forest mode) does: roots in pid order, each followed by
 * its descendants depth-first in pid order. Like procps, children of pid 1 (and of pid 0 or a
 * parent outside the list) are roots, so services of the node's systemd are not indented.
 */
export function forestOrder<T extends TreeInput>(processes: readonly T[]): Array<TreeRow<T>> {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, T[]>();
  const roots: T[] = [];
  for (const p of processes) {
    const parentShown = p.ppid > 1 && byPid.has(p.ppid) && p.ppid !== p.pid;
    if (!parentShown) {
      roots.push(p);
      continue;
    }
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const byPidAsc = (a: T, b: T) => a.pid - b.pid;
  const rows: Array<TreeRow<T>> = [];
  const visited = new Set<number>();
  const visit = (p: T, depth: number) => {
    if (visited.has(p.pid)) return;
    visited.add(p.pid);
    rows.push({ process: p, depth });
    for (const child of (children.get(p.pid) ?? []).sort(byPidAsc)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byPidAsc)) visit(root, 0);
  return rows;
}

/** The prefix `ps f` puts before a command at this depth. */
export function forestPrefix(depth: number): string {
  return depth === 0 ? '' : `${'    '.repeat(depth - 1)} \\_ `;
}

/** All pids below `pid` (children, grandchildren, ...). */
export function descendantsOf(processes: readonly TreeInput[], pid: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const result = new Set<number>();
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (result.has(next)) continue;
    result.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return result;
}
