import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { parseEndpointHealth, parseMemberList } from '../../../src/inspect/parse-etcdctl-output.js';

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
