import { LAB_COMPONENT_LABEL } from '../common/labels.js';
import { AGENT_COMPONENT } from '../node/agent-pod-manifest.js';
import type { KubernetesSnapshot, NodeSnapshot } from './snapshot.js';

export interface PodKey {
  namespace: string;
  name: string;
}

/**
 * Leaves kindlab's node agents out of a snapshot (the API path reads nodes through them): the pods
 * this run started (`own`) and any agent pod the API lists, in the API's pod list, in containerd's
 * sandboxes and containers, and in the process table: every process of their pods (shim, pause,
 * sleep) and below them (the commands the agent ran). The rest of the node is what it was.
 */
export function withoutAgentPods(nodes: NodeSnapshot[], kubernetes: KubernetesSnapshot, own: readonly PodKey[]): void {
  const key = (pod: PodKey) => `${pod.namespace}/${pod.name}`;
  const hidden = new Set([...own.map(key), ...kubernetes.pods.filter((p) => p.labels[LAB_COMPONENT_LABEL] === AGENT_COMPONENT).map(key)]);
  if (hidden.size === 0) return;
  kubernetes.pods = kubernetes.pods.filter((p) => !hidden.has(key(p)));
  for (const node of nodes) {
    const sandboxIds = new Set((node.containerd?.sandboxes ?? []).filter((s) => hidden.has(key(s.pod))).map((s) => s.id));
    if (node.containerd) {
      node.containerd = {
        sandboxes: node.containerd.sandboxes.filter((s) => !sandboxIds.has(s.id)),
        containers: node.containerd.containers.filter((c) => !sandboxIds.has(c.sandboxId)),
      };
    }
    const dropped = new Set(
      node.processes
        .filter((p) => (p.identity.pod && hidden.has(key(p.identity.pod))) || (p.identity.sandboxId !== undefined && sandboxIds.has(p.identity.sandboxId)))
        .map((p) => p.pid),
    );
    for (let grew = true; grew;) {
      grew = false;
      for (const p of node.processes) {
        if (dropped.has(p.ppid) && !dropped.has(p.pid)) {
          dropped.add(p.pid);
          grew = true;
        }
      }
    }
    node.processes = node.processes.filter((p) => !dropped.has(p.pid));
  }
}
