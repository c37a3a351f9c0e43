import type { NodeSnapshot, ProcessRecord, Snapshot } from '../../inspect/snapshot.js';
import { fail, pass, type CheckGroup, type CheckResult } from '../check-result.js';
import { shimId } from '../../inspect/identify-component.js';
import { describeProcess, findComponentProcess, isPause, isProcessNamed, isShim, shortId } from './snapshot-queries.js';

interface PodComponentOptions {
  group: CheckGroup;
  /** Control-plane components must be static pods (from /etc/kubernetes/manifests). */
  mustBeStatic: boolean;
}

/**
 * One component running as a pod on one node, the way the seed's process tree shows it:
 * containerd-shim-runc-v2 -> /pause + the component, one shim per pod.
 */
export function podComponentCheck(snapshot: Snapshot, node: NodeSnapshot, component: string, options: PodComponentOptions): CheckResult {
  const name = `${component} on ${node.name}`;
  const extra = { node: node.name, component };
  const broken = (summary: string, evidence: string[]) => fail(options.group, name, summary, evidence, extra);
  if (node.container.state !== 'running') {
    return broken(`${component} cannot run on ${node.name}: the node container is ${node.container.state}`, [
      `container ${node.name}: ${node.container.status}`,
    ]);
  }
  const process = findComponentProcess(node, component);
  if (!process) return broken(`${component} is not running on ${node.name}`, missingEvidence(snapshot, node, component));

  const evidence = [describeProcess(process)];
  const byPid = new Map(node.processes.map((p) => [p.pid, p]));
  const shim = ancestorShim(process, byPid);
  if (!shim) {
    return broken(`${component} on ${node.name} does not run under a containerd shim`, [...evidence, `parent chain: ${parentChain(process, byPid)}`]);
  }
  evidence.push(`shim ${describeProcess(shim, 90)}`);
  const children = node.processes.filter((p) => p.ppid === shim.pid);
  let pauses = children.filter(isPause);
  evidence.push(`pause under that shim: ${pauses.map((p) => `pid ${p.pid}`).join(', ') || 'none'}`);
  const apart = pauses.length === 0 ? podPauseApart(node, process, shim, byPid) : undefined;
  if (apart) {
    evidence.push(...apart.evidence);
    pauses = [apart.pause];
  }
  if (pauses.length !== 1) {
    return broken(`${component} on ${node.name}: its shim holds ${pauses.length} pause processes, expected exactly 1`, evidence);
  }
  const sandbox = process.identity.sandboxId;
  if (sandbox && pauses[0]!.identity.sandboxId && pauses[0]!.identity.sandboxId !== sandbox) {
    return broken(
      `${component} on ${node.name}: the pause under its shim holds sandbox ${shortId(pauses[0]!.identity.sandboxId)}, not its own ${shortId(sandbox)}`,
      evidence,
    );
  }
  // A shim serves one sandbox; another known component under it would mean two pods share it.
  const podUid = process.identity.pod?.uid;
  const strangers = children.filter((p) => !isPause(p) && p.pid !== process.pid && !samePod(p, podUid, component));
  if (strangers.length > 0) {
    return broken(`${component} on ${node.name} shares its shim with other pods`, [
      ...evidence,
      ...strangers.map((p) => `also under the shim: ${describeProcess(p)}`),
    ]);
  }
  // The shim names its sandbox (-id) even where crictl could not tie the process itself to a container.
  const pod = process.identity.pod ?? shim.identity.pod;
  if (pod) evidence.push(`pod ${pod.namespace}/${pod.name}, sandbox ${shortId(process.identity.sandboxId ?? shim.identity.sandboxId)}`);

  if (options.mustBeStatic) {
    const apiPod = snapshot.kubernetes.pods.find(
      (p) => p.nodeName === node.name && (pod ? p.uid === pod.uid || p.name === pod.name : p.name === `${component}-${node.name}`),
    );
    if (snapshot.kubernetes.error && !apiPod) {
      evidence.push(`static pod not confirmed: ${snapshot.kubernetes.error}`);
    } else if (!apiPod) {
      return broken(`${component} on ${node.name} has no pod in the API (expected the mirror of a static pod)`, evidence);
    } else if (!apiPod.static) {
      return broken(`${component} on ${node.name} is not a static pod (owner: ${apiPod.ownerKind ?? 'none'})`, evidence);
    } else {
      evidence.push(`static pod ${apiPod.namespace}/${apiPod.name} (mirror of /etc/kubernetes/manifests), phase ${apiPod.phase}`);
    }
  }
  const where = apart ? 'in a second shim of its pod, beside the shim with its pause' : 'in its own shim with one pause';
  return pass(options.group, name, `${component} runs on ${node.name} ${where}`, evidence, extra);
}

/**
 * A pod whose container containerd ran in a shim of its own. containerd-shim-runc-v2's start joins a
 * pod's shim through the socket named after the sandbox, and starts a new shim, named after the
 * container, when that socket does not answer within 100 ms (CI met it after a worker's restart:
 * test/fixtures/record-split-shim.sh). The pod is whole, its pause under the other shim, so the
 * component still runs in its pod; anything short of that stays a failure.
 */
function podPauseApart(
  node: NodeSnapshot,
  process: ProcessRecord,
  shim: ProcessRecord,
  byPid: Map<number, ProcessRecord>,
): { pause: ProcessRecord; evidence: string[] } | undefined {
  const sandbox = process.identity.sandboxId;
  const startedFor = shimId(shim.args);
  const container = node.containerd?.containers.find((c) => c.id === startedFor);
  if (!sandbox || !container || container.sandboxId !== sandbox) return undefined;
  const pause = node.processes.find((p) => isPause(p) && p.identity.sandboxId === sandbox);
  const podShim = pause ? byPid.get(pause.ppid) : undefined;
  if (!pause || !podShim || !isShim(podShim) || podShim.pid === shim.pid) return undefined;
  return {
    pause,
    evidence: [
      `that shim was started for container ${container.name} ${shortId(container.id)}, not for its sandbox ${shortId(sandbox)}: containerd gave the container a shim of its own`,
      `the pod's pause: pid ${pause.pid} under shim pid ${podShim.pid} (-id ${shortId(shimId(podShim.args))})`,
    ],
  };
}

/** A node-level daemon (kubelet, containerd): started by the node's systemd, not inside a pod. */
export function systemComponentCheck(node: NodeSnapshot, component: string, group: CheckGroup): CheckResult {
  const name = `${component} on ${node.name}`;
  const extra = { node: node.name, component };
  if (node.container.state !== 'running') {
    return fail(
      group,
      name,
      `${component} cannot run on ${node.name}: the node container is ${node.container.state}`,
      [`container ${node.name}: ${node.container.status}`],
      extra,
    );
  }
  const process = node.processes.find((p) => isProcessNamed(p, component) && !isShim(p));
  if (!process)
    return fail(group, name, `${component} is not running on ${node.name}`, [`no process named ${component} among ${node.processes.length}`], extra);
  return pass(group, name, `${component} runs on ${node.name}`, [describeProcess(process)], extra);
}

function ancestorShim(process: ProcessRecord, byPid: Map<number, ProcessRecord>): ProcessRecord | undefined {
  let current = byPid.get(process.ppid);
  for (let hops = 0; current && hops < 8; hops += 1) {
    if (isShim(current)) return current;
    current = byPid.get(current.ppid);
  }
  return undefined;
}

function parentChain(process: ProcessRecord, byPid: Map<number, ProcessRecord>): string {
  const chain: string[] = [];
  let current = byPid.get(process.ppid);
  for (let hops = 0; current && hops < 8; hops += 1) {
    chain.push(`${current.pid} ${current.args.split(' ')[0]}`);
    current = byPid.get(current.ppid);
  }
  return chain.join(' <- ') || `ppid ${process.ppid} not in the process list`;
}

function samePod(process: ProcessRecord, podUid: string | undefined, component: string): boolean {
  if (podUid && process.identity.pod) return process.identity.pod.uid === podUid;
  // Unjoined processes: a wrapper (a shell starting the daemon) is fine, another component is not.
  return !process.identity.component || isProcessNamed(process, component);
}

/** Why a component is missing: what containerd and the API still say about it. */
function missingEvidence(snapshot: Snapshot, node: NodeSnapshot, component: string): string[] {
  const evidence = [`no ${component} process among the ${node.processes.length} processes of ${node.name}`];
  const containers = node.containerd?.containers.filter((c) => c.name === component) ?? [];
  evidence.push(
    containers.length > 0
      ? `containerd: ${containers.map((c) => `container ${component} ${shortId(c.id)} ${c.state}`).join(', ')}`
      : `containerd: no container named ${component}`,
  );
  const pods = snapshot.kubernetes.pods.filter((p) => p.nodeName === node.name && p.containers.some((c) => c.name === component));
  for (const pod of pods) {
    evidence.push(
      `API: pod ${pod.namespace}/${pod.name} phase ${pod.phase}${pod.static ? ' (static)' : ''}; ${pod.containers.map((c) => `${c.name} ${c.state}`).join(', ')}`,
    );
  }
  return evidence;
}
