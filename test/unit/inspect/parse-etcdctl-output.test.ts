import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { parseEndpointHealth, parseGetResponse, parseMemberList } from '../../../src/inspect/parse-etcdctl-output.js';

// Recorded from real clusters: test/fixtures/verify/README.md says how.
const raw = (name: string) => readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', name), 'utf8');

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

describe('parseEndpointHealth with a member down', () => {
  it('reads the unhealthy endpoint and its error (etcdctl exits 1 but prints the JSON)', () => {
    const health = parseEndpointHealth(raw('ha-etcd-endpoint-health-one-down.json'));
    expect(health.filter((h) => h.health)).toHaveLength(2);
    expect(health.find((h) => !h.health)).toEqual({ endpoint: 'https://172.18.0.14:2379', health: false, error: 'context deadline exceeded' });
  });
});

describe('parseGetResponse', () => {
  // test/fixtures/etcdctl/README.md: `etcdctl get <key> -w json` through the stacked etcd of a real lab.
  const etcdctl = (name: string) => readFileSync(join(projectRoot(), 'test', 'fixtures', 'etcdctl', name), 'utf8');

  it('decodes the key and the value (Kubernetes protobuf, "k8s\\0" first) and keeps the revisions', () => {
    const kv = parseGetResponse(etcdctl('get-kube-proxy-configmap.json'))!;
    expect(kv.key).toBe('/registry/configmaps/kube-system/kube-proxy');
    expect(kv.value.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(kv).toMatchObject({ createRevision: 265, modRevision: 265, version: 1 });
  });

  it('undefined for a key etcd does not hold', () => {
    expect(parseGetResponse(etcdctl('get-missing-key.json'))).toBeUndefined();
  });
});
