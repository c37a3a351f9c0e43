import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterContainer } from '../../../src/inspect/docker/cluster-containers.js';
import { classifyPeer } from '../../../src/labs/classify-peer.js';
import { describeTopology } from '../../../src/labs/cluster-topology.js';
import { outboundConnections, parseSsOutput, pidsNamed } from '../../../src/inspect/parse-ss-output.js';

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

describe('classifyPeer on a recorded ha control plane', () => {
  const read = (name: string): string[] =>
    readFileSync(join(import.meta.dirname, '../../fixtures/labs/ha', name), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('# recorded with:'));
  const containers = read('containers.txt').map((line) => {
    const [name, role, ip] = line.split(' ') as [string, ClusterContainer['role'], string];
    return container(name, role, ip);
  });
  const recorded = describeTopology('tour-ha', containers);
  const node = containers.find((c) => c.name === 'tour-ha-control-plane2')!;
  const sockets = parseSsOutput(read('control-plane2-ss.txt').join('\n'));
  const roles = (process: string): string[] =>
    [
      ...new Set(pidsNamed(sockets, process).flatMap((pid) => outboundConnections(sockets, pid).map((s) => classifyPeer(s.peer, node, recorded, '10.96.0.1')))),
    ].sort();

  it('the kubelet talks to its own api-server; kube-proxy and flannel go through the load balancer', () => {
    expect(roles('kubelet').filter((r) => !r.startsWith('health probe of'))).toEqual(['api-server on tour-ha-control-plane2 (same node)']);
    expect(roles('kube-proxy')).toEqual(['api-server via load balancer tour-ha-external-load-balancer']);
    expect(roles('flanneld')).toEqual(['api-server via load balancer tour-ha-external-load-balancer']);
  });

  it('the api-server reaches its local etcd member, and etcd its peers on the other control planes', () => {
    expect(roles('kube-apiserver')).toContain('etcd on tour-ha-control-plane2 (same node)');
    expect(roles('etcd')).toEqual(expect.arrayContaining(['etcd peer on tour-ha-control-plane3']));
    // etcd's own gateway client is the only other thing it dials: its own client port.
    expect(roles('etcd')).toEqual(['etcd on tour-ha-control-plane2 (same node)', 'etcd peer on tour-ha-control-plane', 'etcd peer on tour-ha-control-plane3']);
  });

  it('names the health ports the kubelet probes on its own node', () => {
    const probe = classifyPeer({ host: '127.0.0.1', port: '2381' }, node, recorded, undefined);
    expect(probe).toBe('health probe of etcd (same node)');
    expect(classifyPeer({ host: '127.0.0.1', port: '10259' }, node, recorded, undefined)).toBe('health probe of kube-scheduler (same node)');
  });
});
