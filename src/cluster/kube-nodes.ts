import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kube-api.js';
import { compareText } from '../common/compare-text.js';

/** One row of `kubectl get nodes -o wide`, as kindlab shows it. */
export interface NodeSummary {
  name: string;
  role: 'control-plane' | 'worker';
  status: 'Ready' | 'NotReady' | 'Unknown';
  version: string;
  internalIP: string;
  createdAt: string;
  labels: Record<string, string>;
}

export interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  node: string;
}

/** The nodes as `lab up` waits for them and `lab status` shows them. */
export async function readNodeSummaries(kube: KubeApi): Promise<NodeSummary[]> {
  return (await kube.listNodes()).map(summarizeNode).sort((a, b) => compareText(a.name, b.name));
}

export function summarizeNode(node: V1Node): NodeSummary {
  const labels = node.metadata?.labels ?? {};
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: node.metadata?.name ?? '',
    role: 'node-role.kubernetes.io/control-plane' in labels ? 'control-plane' : 'worker',
    status: ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown',
    version: node.status?.nodeInfo?.kubeletVersion ?? '',
    internalIP: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
    createdAt: toIso(node.metadata?.creationTimestamp),
    labels,
  };
}

export function summarizePod(pod: V1Pod): PodSummary {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready,
    node: pod.spec?.nodeName ?? '',
  };
}

function toIso(value: Date | string | undefined): string {
  if (!value) return '';
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
