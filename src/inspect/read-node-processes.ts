import { execEachInNode, NodeCommandError, stdoutOf } from '../node/exec-in-node.js';
import type { NodeExec, NodeExecResult } from '../node/node-exec.js';
import { CGROUP_V1_STATS_ARGV, parseCgroupV1Stats } from './parse-cgroup-stats.js';
import { programName } from './identify-component.js';
import { parseContainerdTasks } from './parse-containerd-tasks.js';
import { CONTAINERD_TASKS_ARGV, NO_CONTAINERD_TASK_DIR_EXIT } from './containerd-task-dir.js';
import { parseCrictlContainers, parseCrictlInspectPids, parseCrictlPods } from './parse-crictl-output.js';
import { parsePsOutput, type PsEntry } from './parse-ps-output.js';
import type { HostRoots } from './container-on-host.js';
import { readNodeOnHost } from './read-node-on-host.js';
import type { ContainerdView, ContainerStats } from './snapshot.js';

/** `ww`: never cut command lines, whatever the exec's terminal width. */
export const PS_ARGV = ['ps', '-ww', '-eo', 'pid,ppid,args'] as const;
export const CRICTL_PODS_ARGV = ['crictl', 'pods', '-o', 'json'] as const;
export const CRICTL_CONTAINERS_ARGV = ['crictl', 'ps', '-o', 'json'] as const;

/*
 * crictl's inspect of every ready sandbox and every running container (their pids), for nodes whose
 * containerd keeps no task directory (CONTAINERD_TASKS_ARGV below). crictl v1.34 (kindlab's
 * nodes) selects them itself (`--state`): one crictl run instead of two, each a Go program that costs
 * 40-100 ms in a busy node. When nothing matches, or a crictl without filters on inspect wants ids,
 * it prints its help instead of JSON
 * (exit 0); then the ids are listed and handed over as arguments, as before. The scripts are fixed
 * constants, nothing is spliced into them, and with no id they print nothing and succeed. The ids are
 * asked for a moment after `crictl pods` and `crictl ps` ran: one that ended in between gets no pid.
 */
const inspectScript = (inspect: string, list: string, state: string): string =>
  `out=$(crictl ${inspect} -o json --state ${state} 2>/dev/null); case $out in "["*|"{"*) printf '%s\\n' "$out" ;; ` +
  `*) ids=$(crictl ${list} -q --state ${state}) && { [ -z "$ids" ] || exec crictl ${inspect} -o json $ids; } ;; esac`;
export const CRICTL_INSPECT_SANDBOXES_ARGV = ['sh', '-c', inspectScript('inspectp', 'pods', 'ready')] as const;
export const CRICTL_INSPECT_CONTAINERS_ARGV = ['sh', '-c', inspectScript('inspect', 'ps', 'running')] as const;

export { CONTAINERD_TASK_DIR, CONTAINERD_TASKS_ARGV, NO_CONTAINERD_TASK_DIR_EXIT } from './containerd-task-dir.js';

/** One command read in a node: what it is (the recorder's name for it) and its argv. */
type NodeRead = readonly [what: string, argv: readonly string[]];

/** Hands every raw output to the caller, so fixtures can be recorded from a real cluster. */
export type RawOutputRecorder = (node: string, what: string, argv: readonly string[], stdout: string) => void;

export interface NodeProcessView {
  /** Empty when the image has no ps (`problem` says so). */
  processes: PsEntry[];
  containerd?: ContainerdView;
  /** The container's cgroup v1 counters (withStats), when the node could read them. */
  stats?: ContainerStats;
  /** A gap worth a warning that did not stop the rest of the read (no ps in the image). */
  problem?: string;
}

/**
 * Everything inspect reads inside one node, in one exec (issue 14: one exec per node for what is read
 * inside it): ps, the cgroup counters and containerd's live sandboxes and containers with their pids
 * (from its task directory; from crictl, in a second exec, where the node has none). Each output goes
 * to its own parser.
 *
 * A node given with its container id and host pid is read on this host through its root instead, with
 * no exec at all, where the daemon runs here and kindlab may (read-node-on-host.ts); not when raw
 * outputs are recorded, since those are fixtures of what the node's own programs print.
 */
export async function readNodeProcesses(
  exec: NodeExec,
  node: { name: string; id?: string; hostPid?: number },
  options: { withContainerd: boolean; withStats?: boolean; record?: RawOutputRecorder; hostRoots?: HostRoots },
): Promise<NodeProcessView> {
  const wants = { containerd: options.withContainerd, stats: options.withStats ?? false };
  const onHost = node.id && node.hostPid && !options.record ? readNodeOnHost(node.hostPid, node.id, wants, options.hostRoots) : undefined;
  if (onHost) {
    const tasks = onHost.containerdTasks;
    return viewOf(node.name, () => onHost.ps, onHost.cgroup, tasks === undefined ? undefined : () => tasks ?? readCrictl(exec, node.name, undefined));
  }

  const reads: NodeRead[] = [
    ['ps', PS_ARGV],
    ...(wants.stats ? ([['cgroup', CGROUP_V1_STATS_ARGV]] as const) : []),
    ...(wants.containerd ? ([['containerd-tasks', CONTAINERD_TASKS_ARGV]] as const) : []),
  ];
  const outputs = await readEach(exec, node.name, reads, options.record);
  const cgroup = outputs.get('cgroup');
  const tasks = outputs.get('containerd-tasks');
  return viewOf(
    node.name,
    () => outputs.stdout('ps'),
    cgroup?.result.exitCode === 0 ? cgroup.result.stdout : undefined,
    tasks && (() => (tasks.result.exitCode === NO_CONTAINERD_TASK_DIR_EXIT ? readCrictl(exec, node.name, options.record) : outputs.stdout('containerd-tasks'))),
  );
}

/**
 * The view from a node's outputs, wherever they were read: `ps` throws execInNode's NodeCommandError
 * where the node could not run it; `containerd` gives the task directory's lines, or crictl's view
 * where the node has no such directory, and is absent where containerd was not asked for.
 */
async function viewOf(
  node: string,
  ps: () => string,
  cgroup: string | undefined,
  containerd: (() => string | Promise<ContainerdView>) | undefined,
): Promise<NodeProcessView> {
  const view: NodeProcessView = { processes: [] };
  const stats = cgroup === undefined ? undefined : parseCgroupV1Stats(cgroup);
  if (stats) view.stats = stats;
  try {
    view.processes = withoutInspector(parsePsOutput(ps()));
  } catch (error) {
    // The load balancer and etcd images may have no ps: say so plainly, keep what else was read.
    if (!(error instanceof NodeCommandError && error.notInstalled)) throw error;
    view.problem = `no process list for ${node}: its image has no ${PS_ARGV[0]}`;
  }
  if (!containerd) return view;
  const tasks = await containerd();
  view.containerd = typeof tasks === 'string' ? parseContainerdTasks(tasks) : tasks;
  return view;
}

/** crictl's pods and containers and its inspect of the ready and running ones (their pids). */
async function readCrictl(exec: NodeExec, node: string, record: RawOutputRecorder | undefined): Promise<ContainerdView> {
  const outputs = await readEach(exec, node, CRICTL_READS, record);
  const sandboxes = parseCrictlPods(outputs.stdout('crictl-pods'));
  const containers = parseCrictlContainers(outputs.stdout('crictl-ps'));
  const pidsOf = (what: string): Map<string, number> => parseCrictlInspectPids(outputs.stdout(what));
  const sandboxPids = pidsOf('crictl-inspectp');
  const containerPids = pidsOf('crictl-inspect');
  for (const s of sandboxes) {
    const pid = sandboxPids.get(s.id);
    if (pid) s.pid = pid;
  }
  for (const c of containers) {
    const pid = containerPids.get(c.id);
    if (pid) c.pid = pid;
  }
  return { sandboxes, containers };
}

const CRICTL_READS: readonly NodeRead[] = [
  ['crictl-pods', CRICTL_PODS_ARGV],
  ['crictl-ps', CRICTL_CONTAINERS_ARGV],
  ['crictl-inspectp', CRICTL_INSPECT_SANDBOXES_ARGV],
  ['crictl-inspect', CRICTL_INSPECT_CONTAINERS_ARGV],
];

/** The results of one readEach, by what was read. */
interface NodeReads {
  get(what: string): { argv: readonly string[]; result: NodeExecResult } | undefined;
  /** The stdout of a read that must have succeeded, else execInNode's NodeCommandError for it. */
  stdout(what: string): string;
}

/** One execEach for the reads; every successful output goes to the recorder, keyed by what it is. */
async function readEach(exec: NodeExec, node: string, reads: readonly NodeRead[], record: RawOutputRecorder | undefined): Promise<NodeReads> {
  const results =
    reads.length === 0
      ? []
      : await execEachInNode(
          exec,
          node,
          reads.map(([, argv]) => argv),
        );
  const byWhat = new Map(reads.map(([what, argv], i) => [what, { argv, result: results[i]! }] as const));
  for (const [what, { argv, result }] of byWhat) {
    // The cgroup counters are stats, not a raw output of the node's processes.
    if (record && result.exitCode === 0 && what !== 'cgroup') record(node, what, argv, result.stdout);
  }
  return {
    get: (what) => byWhat.get(what),
    stdout: (what) => {
      const read = byWhat.get(what)!;
      return stdoutOf(exec, node, read.argv, read.result);
    },
  };
}

/**
 * Our own `ps`/`crictl` runs show up in the list as exec'd processes (parent 0), as does the
 * `runc init` that is about to become one of them; they are not part of the node. With a timeout
 * NodeExec runs them under coreutils `timeout` (src/node/docker-node-exec.ts), and execEach under
 * `sh` (src/node/command-sections.ts): that is the exec'd process then, and the command runs below
 * it, so everything under an exec'd inspector process is dropped.
 */
export function withoutInspector(processes: PsEntry[]): PsEntry[] {
  const dropped = new Set(processes.filter((p) => p.ppid === 0 && p.pid !== 1 && INSPECTOR_PROGRAMS.has(programName(p.args))).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (dropped.has(p.ppid) && !dropped.has(p.pid)) {
        dropped.add(p.pid);
        grew = true;
      }
    }
  }
  return processes.filter((p) => !dropped.has(p.pid));
}

const INSPECTOR_PROGRAMS = new Set(['ps', 'crictl', 'runc', 'timeout', 'sh']);
