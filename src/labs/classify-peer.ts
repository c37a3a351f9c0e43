import { API_SERVER_PORT } from '../inspect/api-server-endpoint.js';
import type { ClusterContainer } from '../inspect/docker/cluster-containers.js';
import type { ClusterTopology } from './cluster-topology.js';
import type { HostPort } from '../inspect/parse-ss-output.js';

export const API_SERVER_PEER = 'api-server';
export const PROBE_PEER = 'health probe of';

/** Health ports of the static pods; on a control plane the kubelet probes them (liveness/startup probes). */
const PROBED_PORTS: Record<string, string> = { '2381': 'etcd', '10257': 'kube-controller-manager', '10259': 'kube-scheduler' };

/** Names the other end of a node's TCP connection by what runs there; api-server peers start with "api-server" or name the LB. */
export function classifyPeer(peer: HostPort, node: ClusterContainer, topology: ClusterTopology, serviceIp: string | undefined): string {
  const loopback = peer.host === '127.0.0.1' || peer.host === '::1' || peer.host === 'localhost';
  const owner = loopback ? node : [...topology.controlPlanes, ...topology.workers].find((c) => c.ipv4 === peer.host);
  if (peer.port === String(API_SERVER_PORT)) {
    if (topology.loadBalancer?.ipv4 === peer.host) return `${API_SERVER_PEER} via load balancer ${topology.loadBalancer.name}`;
    if (owner && owner.role === 'control-plane') return `${API_SERVER_PEER} on ${owner.name}${owner === node ? ' (same node)' : ''}`;
  }
  if (serviceIp && peer.host === serviceIp && peer.port === '443') return `${API_SERVER_PEER} via Service kubernetes (${serviceIp})`;
  const probed = PROBED_PORTS[peer.port];
  if (probed && owner === node) return `${PROBE_PEER} ${probed} (same node)`;
  if (peer.port === '2379') {
    if (topology.externalEtcd?.ipv4 === peer.host) return `etcd outside the cluster (${topology.externalEtcd.name})`;
    if (owner) return `etcd on ${owner.name}${owner === node ? ' (same node)' : ''}`;
  }
  if (peer.port === '2380' && owner) return `etcd peer on ${owner.name}`;
  if (peer.port === '10250' && owner) return `kubelet on ${owner.name}`;
  return owner ? `other (${owner.name}:${peer.port})` : 'other';
}

export function isApiServerPeer(role: string): boolean {
  return role.startsWith(API_SERVER_PEER);
}

export function isProbePeer(role: string): boolean {
  return role.startsWith(PROBE_PEER);
}
