import type { V1Pod } from '@kubernetes/client-node';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { LAB_COMPONENT_LABEL, LAB_RUN_LABEL } from '../../../src/common/labels.js';
import { doneIf, waitUntil } from '../../../src/common/wait-until.js';
import { isShim, shimId } from '../../../src/inspect/identify-component.js';
import { parsePsOutput, type PsEntry } from '../../../src/inspect/parse-ps-output.js';
import { descendantsOf } from '../../../src/inspect/process-tree.js';
import { CRICTL_PODS_ARGV, PS_ARGV } from '../../../src/inspect/read-node-processes.js';
import { AGENT_COMPONENT } from '../../../src/node/agent-pod-manifest.js';
import { coreApi } from '../support/kube-api.js';
import type { LiveLab } from '../support/live-lab.js';

const runner = new ChildProcessCommandRunner();
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** A sandbox as `crictl pods -o json` lists it, with the pod's labels (the agents' run id among them). */
interface CriSandbox {
  id: string;
  state: string;
  metadata: { name: string; namespace: string; uid: string };
  labels?: Record<string, string>;
}

/** What one node holds, read with plain `docker exec` (not kindlab's NodeExec, which is what is compared). */
export interface NodeRuntime {
  node: string;
  sandboxes: CriSandbox[];
  processes: PsEntry[];
}

export async function readNodeRuntime(node: string): Promise<NodeRuntime> {
  const [pods, ps] = await Promise.all([runner.run('docker', ['exec', node, ...CRICTL_PODS_ARGV]), runner.run('docker', ['exec', node, ...PS_ARGV])]);
  return { node, sandboxes: (JSON.parse(pods.stdout) as { items: CriSandbox[] }).items, processes: parsePsOutput(ps.stdout) };
}

/** The processes of a sandbox: its shim (`-id <sandbox>`) and everything below it (pause, containers). */
function processesOf(node: NodeRuntime, sandboxId: string): PsEntry[] {
  const shims = node.processes.filter((p) => isShim(p.args) && shimId(p.args) === sandboxId).map((p) => p.pid);
  const found = new Set(shims.flatMap((pid) => [pid, ...descendantsOf(node.processes, pid)]));
  return node.processes.filter((p) => found.has(p.pid));
}

/**
 * Node agents of any run, found by their component label on the sandbox (the run id label says whose),
 * that still have a Ready sandbox or a process on the node: what a finished API-path run must not leave.
 */
export function agentLeftovers(nodes: readonly NodeRuntime[]): string[] {
  const left: string[] = [];
  for (const node of nodes) {
    for (const sandbox of node.sandboxes.filter((s) => s.labels?.[LAB_COMPONENT_LABEL] === AGENT_COMPONENT)) {
      const processes = processesOf(node, sandbox.id);
      if (sandbox.state !== 'SANDBOX_READY' && processes.length === 0) continue;
      const run = sandbox.labels?.[LAB_RUN_LABEL] ?? '?';
      left.push(
        `${node.node}: agent of run ${run} (sandbox ${sandbox.id.slice(0, 13)} ${sandbox.state}, processes: ${processes.map((p) => `${p.pid} ${p.args}`).join('; ') || 'none'})`,
      );
    }
  }
  return left;
}

/** Pods that are not in a state that lasts: terminating, starting, or running with a container not ready. */
function podsInFlux(pods: readonly V1Pod[]): string[] {
  return pods.flatMap((pod) => {
    const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (pod.metadata?.deletionTimestamp) return [`${name} terminating`];
    const phase = pod.status?.phase ?? 'Unknown';
    if (phase === 'Succeeded' || phase === 'Failed') return [];
    const notReady = (pod.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
    if (phase !== 'Running' || notReady.length > 0) return [`${name} ${phase}${notReady.length ? ` (not ready: ${notReady.join(', ')})` : ''}`];
    return [];
  });
}

/**
 * Runtime state a later read would see change: a shim whose sandbox is not Ready or belongs to no pod
 * the API lists (a deleted pod going away), a Ready sandbox of a pod the API no longer lists.
 */
function runtimeInFlux(nodes: readonly NodeRuntime[], pods: readonly V1Pod[]): string[] {
  // A static pod's sandbox carries the kubelet's uid for it, which its mirror pod holds as an annotation.
  const uids = new Set(pods.flatMap((p) => [p.metadata?.uid, p.metadata?.annotations?.[MIRROR_ANNOTATION]]).filter((u): u is string => !!u));
  const left: string[] = [];
  for (const node of nodes) {
    const sandboxes = new Map(node.sandboxes.map((s) => [s.id, s]));
    for (const shim of node.processes.filter((p) => isShim(p.args))) {
      const sandbox = sandboxes.get(shimId(shim.args) ?? '');
      if (!sandbox || sandbox.state !== 'SANDBOX_READY' || !uids.has(sandbox.metadata.uid)) {
        const of = sandbox ? `${sandbox.metadata.namespace}/${sandbox.metadata.name} ${sandbox.state}` : 'no sandbox';
        left.push(`${node.node}: shim ${shim.pid} of ${of}`);
      }
    }
    for (const sandbox of node.sandboxes.filter((s) => s.state === 'SANDBOX_READY' && !uids.has(s.metadata.uid))) {
      left.push(`${node.node}: Ready sandbox of ${sandbox.metadata.namespace}/${sandbox.metadata.name}, a pod the API does not list`);
    }
  }
  return left;
}

/**
 * Waits until the lab holds still, as a comparison of two reads needs: no pod terminating, starting or
 * not ready, no node agent of an earlier run left (its pod or, by its sandbox's labels, any of its
 * processes), and every shim and Ready sandbox belonging to a pod the API lists.
 */
export async function waitForSettledLab(lab: LiveLab, timeoutMs = 3 * 60_000): Promise<void> {
  const api = coreApi(lab);
  const nodes = [...lab.controlPlaneContainers, ...lab.workerContainers];
  await waitUntil(
    async () => {
      const pods = (await api.listPodForAllNamespaces()).items;
      const runtime = await Promise.all(nodes.map(readNodeRuntime));
      const agents = pods.filter((p) => p.metadata?.labels?.[LAB_COMPONENT_LABEL] === AGENT_COMPONENT).map((p) => `agent pod ${p.metadata?.name}`);
      const unsettled = [...agents, ...podsInFlux(pods), ...agentLeftovers(runtime), ...runtimeInFlux(runtime, pods)];
      return doneIf(unsettled.length === 0, unsettled.join('; ') || 'settled');
    },
    { what: `lab ${lab.name} to settle`, timeoutMs, intervalMs: 1000 },
  );
}
