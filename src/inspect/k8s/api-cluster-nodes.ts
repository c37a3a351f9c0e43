import type { V1Node } from '@kubernetes/client-node';
import type { KubeApi } from '../../kube/kube-api.js';
import type { ClusterContainer, ClusterContainers } from '../docker/cluster-containers.js';
import type { ContainerStats } from '../snapshot.js';
import { compareText } from '../../common/compare-text.js';

const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * The API path's stand-in for the Docker side: the cluster's nodes as the API lists them. There is
 * no load balancer or external etcd container to see; a node's facts are its Ready condition, its
 * InternalIP and its labels. Stats come from the node itself (its cgroup counters) or not at all.
 */
export class ApiClusterNodes implements ClusterContainers {
  constructor(
    private readonly kube: KubeApi,
    /** The name the snapshot carries (the lab's, or the kubeconfig context's). */
    private readonly cluster: string,
  ) {}

  async listClusters(): Promise<string[]> {
    return [this.cluster];
  }

  async listContainers(): Promise<ClusterContainer[]> {
    const nodes = await this.kube.listNodes();
    return nodes.map(nodeAsContainer).sort((a, b) => compareText(a.name, b.name));
  }

  async stats(): Promise<ContainerStats> {
    throw new Error('no resource counters through the API (the node could not read its cgroup counters)');
  }
}

export function nodeAsContainer(node: V1Node): ClusterContainer {
  const labels = node.metadata?.labels ?? {};
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const ipv4 = node.status?.addresses?.find((a) => a.type === 'InternalIP' && !a.address.includes(':'))?.address;
  const ipv6 = node.status?.addresses?.find((a) => a.type === 'InternalIP' && a.address.includes(':'))?.address;
  return {
    name: node.metadata?.name ?? '',
    role: CONTROL_PLANE_LABEL in labels ? 'control-plane' : 'worker',
    id: node.metadata?.uid ?? '',
    image: node.status?.nodeInfo?.osImage ?? '',
    // A node whose kubelet is down cannot run the agent: inspect then reports it like a stopped container.
    state: ready?.status === 'True' ? 'running' : 'not ready',
    status: ready?.status === 'True' ? 'Ready' : `NotReady${ready?.reason ? ` (${ready.reason})` : ''}`,
    ...(ipv4 ? { ipv4 } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ports: {},
    labels,
  };
}
