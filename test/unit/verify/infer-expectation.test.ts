import { describe, expect, it } from 'vitest';
import { inferExpectation, inferExpectationName } from '../../../src/verify/infer-expectation.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';
import { recordedEvidence } from './fixtures.js';

describe('inferExpectation (lab verify without --expect), on snapshots recorded from real labs', () => {
  it.each([
    ['single', 'single'],
    ['multi', 'multi'],
    ['ha', 'ha'],
  ] as const)('%s -> built-in %s with stacked etcd', async (topology, name) => {
    const snapshot = loadSnapshot(topology);
    expect(inferExpectationName(snapshot)).toBe(name);
    expect(await inferExpectation(snapshot)).toMatchObject({ source: `built-in expectation ${name}`, etcd: 'stacked' });
  });

  it('multi with an external etcd container -> the external built-in (1 control plane)', async () => {
    const { snapshot } = recordedEvidence('external-plain-http');
    expect(await inferExpectation(snapshot)).toMatchObject({ source: 'built-in expectation external', etcd: 'external', controlPlanes: { min: 1, exact: true } });
  });

  it('ha with an external etcd container -> ha\'s node counts with etcd external, not the 1-control-plane external built-in', async () => {
    const { snapshot } = recordedEvidence('ha-external-healthy');
    expect(await inferExpectation(snapshot)).toMatchObject({
      source: 'built-in expectation ha with external etcd',
      etcd: 'external',
      controlPlanes: { min: 3, exact: false },
      loadBalancer: true,
    });
  });
});
