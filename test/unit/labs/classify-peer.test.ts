import { describe, expect, it } from 'vitest';
import type { ClusterContainer } from '../../../src/inspect/docker/cluster-containers.js';
import { classifyPeer } from '../../../src/labs/classify-peer.js';
import { describeTopology } from '../../../src/labs/cluster-topology.js';

function container(name: string, role: ClusterContainer['role'], ipv4: string): ClusterContainer {
  return { id: `id-${name}`, name, role, image: 'kindlab/node:v1.34.4', state: 'running', status: 'Up', ipv4, ports: {}, labels: {} };
}

const lb = container('ha-external-load-balancer', 'external-load-balancer', '172.18.0.2');
const etcd = container('ha-external-etcd', 'external-etcd', '172.18.0.9');
const cp1 = container('ha-control-plane', 'control-plane', '172.18.0.3');
const cp2 = container('ha-control-plane2', 'control-plane', '172.18.0.4');
const worker = container('ha-worker', 'worker', '172.18.0.6');
const topology = describeTopology('ha', [lb, etcd, cp1, cp2, worker]);

describe('classifyPeer', () => {
  it('names api-server endpoints: a control plane, the load balancer, the kubernetes Service, loopback', () => {
    expect(classifyPeer({ host: '172.18.0.4', port: '6443' }, worker, topology, '10.96.0.1')).toBe('api-server on ha-control-plane2');
    expect(classifyPeer({ host: '172.18.0.2', port: '6443' }, worker, topology, '10.96.0.1')).toBe('api-server via load balancer ha-external-load-balancer');
    expect(classifyPeer({ host: '10.96.0.1', port: '443' }, worker, topology, '10.96.0.1')).toBe('api-server via Service kubernetes (10.96.0.1)');
    expect(classifyPeer({ host: '127.0.0.1', port: '6443' }, cp1, topology, undefined)).toBe('api-server on ha-control-plane (same node)');
  });

  it('tells etcd in the cluster from etcd outside it, and does not call a worker port 6443 an api-server', () => {
    expect(classifyPeer({ host: '172.18.0.9', port: '2379' }, cp1, topology, undefined)).toBe('etcd outside the cluster (ha-external-etcd)');
    expect(classifyPeer({ host: '127.0.0.1', port: '2379' }, cp1, topology, undefined)).toBe('etcd on ha-control-plane (same node)');
    expect(classifyPeer({ host: '172.18.0.6', port: '6443' }, cp1, topology, undefined)).toBe('other (ha-worker:6443)');
    expect(classifyPeer({ host: '8.8.8.8', port: '53' }, cp1, topology, undefined)).toBe('other');
  });

  it('reads the topology from the containers: ha with external etcd', () => {
    expect(topology).toMatchObject({ kind: 'ha', etcd: 'external', loadBalancer: lb, externalEtcd: etcd });
    expect(describeTopology('s', [cp1]).kind).toBe('single');
    expect(describeTopology('m', [cp1, worker]).kind).toBe('multi');
  });
});
