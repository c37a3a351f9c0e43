import { CoreV1Api, KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';

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

/** The slice of the Kubernetes API `lab up` and `lab status` read: nodes and kube-system pods. */
export interface KubeClusterReader {
  listNodes(): Promise<NodeSummary[]>;
  listKubeSystemPods(): Promise<PodSummary[]>;
}

export class ClientNodeClusterReader implements KubeClusterReader {
  private readonly core: CoreV1Api;

  constructor(kubeconfigYaml: string) {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigYaml);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  async listNodes(): Promise<NodeSummary[]> {
    const list = await this.core.listNode();
    return list.items.map(summarizeNode).sort((a, b) => a.name.localeCompare(b.name));
  }

  async listKubeSystemPods(): Promise<PodSummary[]> {
    const list = await this.core.listNamespacedPod({ namespace: 'kube-system' });
    return list.items.map(summarizePod);
  }
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
