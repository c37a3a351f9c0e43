import { apiServerAddress } from '../inspect/api-server-endpoint.js';
import { groupByRole } from '../inspect/group-by-role.js';
import type { ClusterContainer } from '../inspect/docker/cluster-containers.js';
import type { EtcdMode, TopologyKind } from '../topology/topology-spec.js';
import type { NodeRoleSelector, TopologyNoteKey } from './tour-lab.js';

/** The cluster as the tour tells it: read from the containers kind and kindlab labelled, not from names. */
export interface ClusterTopology {
  cluster: string;
  kind: TopologyKind;
  etcd: EtcdMode;
  controlPlanes: ClusterContainer[];
  workers: ClusterContainer[];
  loadBalancer: ClusterContainer | undefined;
  externalEtcd: ClusterContainer | undefined;
}

export function describeTopology(cluster: string, containers: readonly ClusterContainer[]): ClusterTopology {
  const { controlPlanes, workers, loadBalancer, externalEtcd } = groupByRole(containers);
  const kind: TopologyKind = controlPlanes.length > 1 ? 'ha' : workers.length === 0 ? 'single' : 'multi';
  return { cluster, kind, etcd: externalEtcd ? 'external' : 'stacked', controlPlanes, workers, loadBalancer, externalEtcd };
}

export function topologyNoteKeys(topology: ClusterTopology): TopologyNoteKey[] {
  return [topology.kind, topology.etcd === 'external' ? 'external-etcd' : 'stacked-etcd'];
}

export function topologyLabel(topology: ClusterTopology): string {
  const cp = `${topology.controlPlanes.length} control plane${topology.controlPlanes.length === 1 ? '' : 's'}`;
  const workers = `${topology.workers.length} worker${topology.workers.length === 1 ? '' : 's'}`;
  return `${topology.kind} (${cp}, ${workers}, ${topology.etcd} etcd${topology.loadBalancer ? ', load balancer' : ''})`;
}

/**
 * The node that plays a role. On a single-node cluster the control plane also runs the workloads
 * (kind removes its taint), so it is the answer for `worker` too.
 */
export function nodeForRole(topology: ClusterTopology, role: NodeRoleSelector): { node: ClusterContainer; sharedRoles: boolean } {
  const running = (list: ClusterContainer[]): ClusterContainer | undefined => list.find((c) => c.state === 'running') ?? list[0];
  if (role === 'worker') {
    const worker = running(topology.workers);
    if (worker) return { node: worker, sharedRoles: false };
  }
  const controlPlane = running(topology.controlPlanes);
  if (!controlPlane) throw new Error(`cluster ${topology.cluster} has no control-plane node`);
  return { node: controlPlane, sharedRoles: role === 'worker' };
}

/** Every address under which this cluster's api-server answers, as seen from inside the nodes. */
export function apiServerAddresses(topology: ClusterTopology, serviceIp: string | undefined): Map<string, string> {
  const addresses = new Map<string, string>();
  for (const cp of topology.controlPlanes) if (cp.ipv4) addresses.set(apiServerAddress(cp.ipv4), `api-server on ${cp.name}`);
  if (topology.loadBalancer?.ipv4) addresses.set(apiServerAddress(topology.loadBalancer.ipv4), `load balancer ${topology.loadBalancer.name}`);
  if (serviceIp) addresses.set(`${serviceIp}:443`, 'kubernetes Service (api-server)');
  return addresses;
}
