import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { containerOnHost, type ContainerOnHost, type HostRoots } from './container-on-host.js';
import { CONTAINERD_TASK_DIR, CRI_ANNOTATION_ERE } from './containerd-task-dir.js';
import { readContainerCgroupStats } from './read-host-cgroup-stats.js';

/** What a node's one exec prints (read-node-processes.ts), read on this host instead; the same parsers take it. */
export interface NodeReadsOnHost {
  /** As `ps -ww -eo pid,ppid,args` prints it inside the node. */
  ps: string;
  /** As CGROUP_V1_STATS_ARGV prints it; undefined where the host holds no such cgroup v1 files. */
  cgroup?: string;
  /** As CONTAINERD_TASKS_ARGV prints it; null where the node has no task directory (crictl is asked then). */
  containerdTasks?: string | null;
}

/**
 * A node container's process table, containerd tasks and cgroup counters read on this host through
 * its init's /proc entry, without a `docker exec`. Each exec is a runc exec in the node, 60-100 ms of
 * the daemon's and runc's CPU on a 2-core host (most of `lab report` on an ha lab, after the crictl
 * runs were gone); these are file reads. /proc/<pid>/root is the node's own root, so its /proc is the
 * procfs of the node's pid namespace: the same pids and parents its ps shows, and the same task files.
 *
 * Undefined, so the caller execs instead, where the daemon does not run on this host or kindlab may
 * not follow the node's root (containerOnHost: only root, or the user the container runs as).
 */
export function readNodeOnHost(
  pid: number,
  containerId: string,
  wants: { containerd: boolean; stats: boolean },
  roots: HostRoots = {},
): NodeReadsOnHost | undefined {
  let container: ContainerOnHost | undefined;
  try {
    container = containerOnHost(pid, containerId, roots);
  } catch {
    // Its cgroup file went away or may not be read: the exec answers instead.
    return undefined;
  }
  if (!container) return undefined;
  const root = join(container.procDir, 'root');
  const ps = psOnHost(join(root, 'proc'));
  if (ps === undefined) return undefined;
  const reads: NodeReadsOnHost = { ps };
  if (wants.stats) {
    const cgroup = readContainerCgroupStats(container, containerId, roots);
    if (cgroup !== undefined) reads.cgroup = cgroup;
  }
  if (wants.containerd) reads.containerdTasks = containerdTasksOnHost(join(root, CONTAINERD_TASK_DIR));
  return reads;
}

/**
 * The node's processes as procps' `ps -ww -eo pid,ppid,args` prints them in its POSIX locale: the
 * command line with its arguments joined by spaces and its unprintable bytes replaced (`printable`);
 * a process without one (a zombie) as `[comm]`, with ` <defunct>` for a zombie. A process that
 * ends between the listing and its reads is left out, as ps leaves it out. Undefined when the node's
 * /proc cannot be listed (no procfs there, or no permission).
 */
function psOnHost(procDir: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(procDir);
  } catch {
    return undefined;
  }
  const rows = [`${'PID'.padStart(7)} ${'PPID'.padStart(7)} COMMAND`];
  // procfs lists pids in ascending order, as ps prints them; a copy of it (the tests') need not.
  const pids = entries.filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(a) - Number(b));
  for (const entry of pids) {
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(join(procDir, entry, 'stat'), 'latin1');
      cmdline = readFileSync(join(procDir, entry, 'cmdline'), 'latin1');
    } catch {
      continue;
    }
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so it ends at the last `)`.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
    const args = cmdline.replace(/\0+$/, '').split('\0').join(' ');
    const shown = args ? printable(args) : `[${printable(comm)}]${state === 'Z' ? ' <defunct>' : ''}`;
    rows.push(`${entry.padStart(7)} ${ppid.padStart(7)} ${shown}`);
  }
  return `${rows.join('\n')}\n`;
}

/** procps 4 in the POSIX locale, byte by byte: control characters as `.`, bytes above ASCII as `?` (checked with every byte on a kind node). */
// eslint-disable-next-line no-control-regex -- control characters are what procps replaces
const printable = (text: string): string => text.replace(/[\x00-\x1f\x7f]/g, '.').replace(/[\x80-\xff]/g, '?');

/**
 * The lines CONTAINERD_TASKS_ARGV prints, from the same files: every task's `init.pid`, its
 * config.json's mtime in seconds and the CRI's annotations in it. Null where the directory is absent.
 */
function containerdTasksOnHost(taskDir: string): string | null {
  let ids: string[];
  try {
    ids = readdirSync(taskDir).sort();
  } catch {
    return null;
  }
  const pids: string[] = [];
  const mtimes: string[] = [];
  const annotations: string[] = [];
  const annotation = new RegExp(CRI_ANNOTATION_ERE, 'g');
  for (const id of ids) {
    const config = join(taskDir, id, 'config.json');
    try {
      const pid = readFileSync(join(taskDir, id, 'init.pid'), 'utf8');
      for (const line of pid.split('\n')) if (line) pids.push(`${id}/init.pid:${line}`);
    } catch {
      // No pid yet (the task is being created) or the task ended: as the script's grep, say nothing.
    }
    try {
      const text = readFileSync(config, 'utf8');
      mtimes.push(`${id}/config.json ${Math.floor(statSync(config).mtimeMs / 1000)}`);
      for (const match of text.matchAll(annotation)) annotations.push(`${id}/config.json:${match[0]}`);
    } catch {
      // The task ended between the listing and the read.
    }
  }
  return [...pids, ...mtimes, ...annotations].map((line) => `${line}\n`).join('');
}
