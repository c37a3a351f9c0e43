import { describe, expect, it } from 'vitest';
import { compareText } from '../../../src/common/compare-text.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

describe('compareText', () => {
  it('sorts the names, ids and times of recorded labs as localeCompare did', () => {
    const snapshots = TOPOLOGIES.map((t) => loadSnapshot(t));
    const texts = snapshots.flatMap((s) => [
      ...s.nodes.flatMap((n) => [n.name, n.container.id, ...(n.containerd?.sandboxes ?? []).flatMap((x) => [x.id, x.createdAt])]),
      ...s.kubernetes.pods.flatMap((p) => [p.name, p.namespace, `${p.namespace}/${p.name}`, p.createdAt]),
    ]);
    expect(texts.length).toBeGreaterThan(100);
    expect([...texts].sort(compareText)).toEqual([...texts].sort((a, b) => a.localeCompare(b)));
  });

  it('is a total order: equal texts compare 0, and swapping the sides flips the sign', () => {
    expect(compareText('kind-worker', 'kind-worker')).toBe(0);
    expect(compareText('kind-worker', 'kind-worker2')).toBe(-1);
    expect(compareText('kind-worker2', 'kind-worker')).toBe(1);
  });
});
