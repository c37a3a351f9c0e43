import { isShim as isShimCommand, programName } from '../../inspect/identify-component.js';
import type { CriContainerRecord, NodeSnapshot, ProcessRecord, Snapshot } from '../../inspect/snapshot.js';

/** Names a process can go by: what inspect identified it as, else the basename of its executable. */
export function processNames(process: ProcessRecord): string[] {
  const names: string[] = [];
  if (process.identity.component) names.push(process.identity.component);
  const executable = process.args.trim().split(/\s+/)[0] ?? '';
  names.push(executable.slice(executable.lastIndexOf('/') + 1));
  return names;
}

export function isProcessNamed(process: ProcessRecord, name: string): boolean {
  return processNames(process).includes(name);
}

export function isShim(process: ProcessRecord): boolean {
  return process.identity.kind === 'shim' || isShimCommand(process.args);
}

/**
 * A sandbox's /pause. A pod's app container may run the pause image (the tour's do): the join names
 * it a container, and it is no sandbox's pause. A /pause the join could not place still counts.
 */
export function isPause(process: ProcessRecord): boolean {
  return process.identity.kind === 'pause' || (process.identity.kind !== 'container' && programName(process.args) === 'pause');
}

export function clusterNodes(snapshot: Snapshot): NodeSnapshot[] {
  return snapshot.nodes.filter((node) => node.role === 'control-plane' || node.role === 'worker');
}

export function nodesWithRole(snapshot: Snapshot, role: NodeSnapshot['role']): NodeSnapshot[] {
  return snapshot.nodes.filter((node) => node.role === role);
}

export function isRunning(node: NodeSnapshot): boolean {
  return node.container.state === 'running';
}

/**
 * The main process of a component: the first match that is not a child of another match (etcd forks
 * none, but be safe). Processes of the node itself or of the system's pods (kube-*) come first: other
 * pods may run a program of the same name (verify's own DNS target runs etcd in `default`).
 */
export function findComponentProcess(node: NodeSnapshot, component: string): ProcessRecord | undefined {
  const matches = node.processes.filter((p) => isProcessNamed(p, component) && !isShim(p) && !isPause(p));
  const system = matches.filter((p) => !p.identity.pod || p.identity.pod.namespace.startsWith('kube-'));
  const candidates = system.length > 0 ? system : matches;
  const pids = new Set(candidates.map((p) => p.pid));
  return candidates.find((p) => !pids.has(p.ppid)) ?? candidates[0];
}

/**
 * A component's process that is part of the cluster itself: one in no pod or in a kube-* namespace's, not a
 * workload's own copy (verify's DNS target is an etcd in `default`; one of an earlier verify can still run
 * for a moment after its pod left the API).
 */
export function findSystemComponentProcess(node: NodeSnapshot, component: string): ProcessRecord | undefined {
  const process = findComponentProcess(node, component);
  return process && (!process.identity.pod || process.identity.pod.namespace.startsWith('kube-')) ? process : undefined;
}

/** The running etcd container of a control plane's etcd static pod (kube-system), not a pod's own etcd. */
export function stackedEtcdContainer(node: NodeSnapshot): CriContainerRecord | undefined {
  const view = node.containerd;
  const system = new Set((view?.sandboxes ?? []).filter((s) => s.pod.namespace === 'kube-system').map((s) => s.id));
  return view?.containers.find((c) => c.name === 'etcd' && c.state === 'CONTAINER_RUNNING' && system.has(c.sandboxId));
}

export function describeProcess(process: ProcessRecord, width = 110): string {
  const args = process.args.length > width ? `${process.args.slice(0, width - 1)}…` : process.args;
  return `pid ${process.pid}: ${args}`;
}

/** `--etcd-servers=https://a:2379,https://b:2379` from a command line. */
export function flagValue(args: string, flag: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)--${flag}(?:=|\\s+)(\\S+)`).exec(args);
  return match?.[1];
}

export function shortId(id: string | undefined): string {
  return id ? id.slice(0, 13) : '?';
}
