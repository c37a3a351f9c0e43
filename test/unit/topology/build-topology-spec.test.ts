import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/common/kindlab-error.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { usageErrorOf } from '../support/usage-error-of.js';

function usageError(input: Parameters<typeof buildTopologySpec>[0]): UsageError {
  return usageErrorOf(() => buildTopologySpec(input));
}

describe('buildTopologySpec', () => {
  it('defaults per topology', () => {
    expect(buildTopologySpec({ kind: 'single' })).toMatchObject({ kind: 'single', controlPlanes: 1, workers: 0, etcd: 'stacked', name: 'kindlab' });
    expect(buildTopologySpec({ kind: 'multi' })).toMatchObject({ controlPlanes: 1, workers: 2 });
    expect(buildTopologySpec({ kind: 'ha' })).toMatchObject({ controlPlanes: 3, workers: 1 });
    expect(buildTopologySpec({})).toMatchObject({ kind: 'single', waitMs: 600_000, retain: false });
  });

  it('takes counts as strings from flags and numbers from files', () => {
    expect(buildTopologySpec({ kind: 'ha', controlPlanes: '5', workers: 0 })).toMatchObject({ controlPlanes: 5, workers: 0 });
  });

  it('parses ports with protocol', () => {
    expect(buildTopologySpec({ ports: ['8080:80', '5353:53/udp', { hostPort: 9000, containerPort: 90 }] }).ports).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'TCP' },
      { hostPort: 5353, containerPort: 53, protocol: 'UDP' },
      { hostPort: 9000, containerPort: 90, protocol: 'TCP' },
    ]);
  });

  it.each([
    [{ kind: 'mesh' }, /unknown topology "mesh"/],
    [{ kind: 'ha', controlPlanes: 2 }, /invalid --control-planes 2: ha needs an odd number of control planes, at least 3/],
    [{ kind: 'ha', controlPlanes: 1 }, /invalid --control-planes 1: ha needs/],
    [{ kind: 'ha', controlPlanes: 4 }, /invalid --control-planes 4/],
    [{ kind: 'multi', workers: -1 }, /cannot be negative/],
    [{ kind: 'multi', workers: '2.5' }, /expected a whole number/],
    [{ kind: 'multi', workers: 0 }, /at least one worker/],
    [{ kind: 'single', workers: 1 }, /takes no workers/],
    [{ kind: 'multi', controlPlanes: 3 }, /exactly one control plane/],
    [{ name: 'Upper' }, /invalid lab name "Upper"/],
    [{ name: 'has_underscore' }, /invalid lab name/],
    [{ name: '-lead' }, /invalid lab name/],
    [{ name: 'a'.repeat(41) }, /invalid lab name/],
    [{ etcd: 'embedded' }, /unknown --etcd "embedded"/],
    [{ image: 'x:y', kubernetesVersion: 'v1.34.4' }, /give only one/],
    [{ kubernetesVersion: '1.34' }, /invalid --kubernetes-version/],
    [{ ports: ['80'] }, /invalid --port "80"/],
    [{ ports: ['70000:80'] }, /between 1 and 65535/],
    [{ wait: '5 minutes' }, /invalid --wait/],
  ] as const)('refuses %j', (input, message) => {
    expect(usageError(input as Parameters<typeof buildTopologySpec>[0]).message).toMatch(message);
  });

  it('gives a hint that fixes the mistake', () => {
    expect(usageError({ kind: 'single', workers: 3 }).hint).toBe('use `lab up multi --workers 3`');
    expect(usageError({ kind: 'ha', controlPlanes: 4 }).hint).toMatch(/--control-planes 3 or 5/);
  });
});
