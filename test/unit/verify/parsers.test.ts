import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { etcdImageOf } from '../../../src/verify/gather-evidence.js';
import { parseEndpointHealth, parseMemberList } from '../../../src/verify/parse-etcdctl-output.js';
import { parseSsOutput } from '../../../src/verify/parse-ss-output.js';

const raw = (name: string) => readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', name), 'utf8');

describe('parseSsOutput', () => {
  it('reads established connections with their process, unwrapping IPv4-mapped addresses', () => {
    const connections = parseSsOutput(raw('multi-worker-ss.txt'));
    expect(connections).toContainEqual({ local: '172.18.0.10:45894', peer: '172.18.0.14:6443', process: 'kubelet', pid: 172 });
    expect(connections).toContainEqual({ local: '172.18.0.10:10250', peer: '172.18.0.14:56666', process: 'kubelet', pid: 172 });
    expect(connections.map((c) => c.process).sort()).toEqual(['flanneld', 'kube-proxy', 'kubelet', 'kubelet']);
  });
});

describe('etcdctl output', () => {
  it('keeps 64-bit member ids exact (hex, as etcdctl prints them)', () => {
    const [member] = parseMemberList(raw('multi-etcd-member-list.json'));
    expect(member).toEqual({
      id: BigInt('4381501313922180522').toString(16),
      name: 'verify-multi-control-plane',
      peerURLs: ['https://172.18.0.14:2380'],
      clientURLs: ['https://172.18.0.14:2379'],
      isLearner: false,
    });
    expect(member!.id).toBe('3cce383b173d25aa');
  });

  it('reads endpoint health', () => {
    expect(parseEndpointHealth(raw('multi-etcd-endpoint-health.json'))).toEqual([{ endpoint: 'https://172.18.0.14:2379', health: true }]);
  });
});

describe('etcdImageOf', () => {
  it("picks kubeadm's etcd image from the node's containerd", () => {
    expect(etcdImageOf(raw('multi-control-plane-crictl-images.json'))).toBe('registry.k8s.io/etcd:3.6.5-0');
    expect(() => etcdImageOf('{"images":[{"repoTags":["registry.k8s.io/pause:3.10.1"]}]}')).toThrow(/no image tagged/);
  });
});

describe('parseHaproxyBackends', () => {
  it("lists the servers of kind's load balancer config", async () => {
    const { parseHaproxyBackends } = await import('../../../src/verify/parse-haproxy-config.js');
    expect(parseHaproxyBackends(raw('ha-haproxy.cfg'))).toEqual([
      { name: 'verify-ha-control-plane', address: 'verify-ha-control-plane:6443' },
      { name: 'verify-ha-control-plane2', address: 'verify-ha-control-plane2:6443' },
      { name: 'verify-ha-control-plane3', address: 'verify-ha-control-plane3:6443' },
    ]);
  });
});

describe('parseEndpointHealth with a member down', () => {
  it('reads the unhealthy endpoint and its error (etcdctl exits 1 but prints the JSON)', () => {
    const health = parseEndpointHealth(raw('ha-etcd-endpoint-health-one-down.json'));
    expect(health.filter((h) => h.health)).toHaveLength(2);
    expect(health.find((h) => !h.health)).toEqual({ endpoint: 'https://172.18.0.14:2379', health: false, error: 'context deadline exceeded' });
  });
});
