import { describe, expect, it } from 'vitest';
import { isPause, isShim } from '../../../src/verify/checks/snapshot-queries.js';
import { recordedEvidence } from './fixtures.js';

describe('isShim / isPause use the one shim detector of inspect', () => {
  // A worker of a real multi lab (test/fixtures/verify/README.md); identities cleared so only the command counts.
  const worker = recordedEvidence('multi-healthy').snapshot.nodes.find((n) => n.name === 'verify-multi-worker')!;
  const bare = worker.processes.map((p) => ({ ...p, identity: { kind: 'other' as const } }));

  it('names the runc v2 shims and the pause processes from their commands', () => {
    const shims = bare.filter(isShim);
    expect(shims.length).toBeGreaterThan(0);
    expect(shims.every((p) => p.args.startsWith('/usr/bin/containerd-shim-runc-v2 '))).toBe(true);
    expect(bare.filter(isPause)).toHaveLength(shims.length);
  });

  it('knows the older containerd-shim-runc-v1 too (the same shim command with the v1 binary)', () => {
    const shim = bare.find(isShim)!;
    expect(isShim({ ...shim, args: shim.args.replace('containerd-shim-runc-v2', 'containerd-shim-runc-v1') })).toBe(true);
    expect(isShim({ ...shim, args: shim.args.replace('containerd-shim-runc-v2', 'containerd') })).toBe(false);
  });
});
