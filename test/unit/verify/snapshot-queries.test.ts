import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { findComponentProcess, isPause, isShim, stackedEtcdContainer } from '../../../src/verify/checks/snapshot-queries.js';
import { FIXTURES_DIR } from '../../fixtures/load-fixtures.js';
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

describe('a control plane while verify runs its DNS target (an etcd of its own in `default`)', () => {
  // `lab inspect` of a single lab taken while `lab verify` ran (test/fixtures/README.md).
  const snapshot = JSON.parse(readFileSync(join(FIXTURES_DIR, 'snapshot-single-during-verify.json'), 'utf8')) as Snapshot;
  const node = snapshot.nodes.find((n) => n.role === 'control-plane')!;
  const probeEtcd = node.containerd!.containers.find((c) => c.name === 'etcd' && sandboxOf(c.sandboxId)?.namespace === 'default');
  function sandboxOf(id: string) {
    return node.containerd!.sandboxes.find((s) => s.id === id)?.pod;
  }

  it('has two running containers named etcd, the probe first in crictl order', () => {
    const etcds = node.containerd!.containers.filter((c) => c.name === 'etcd' && c.state === 'CONTAINER_RUNNING');
    expect(etcds).toHaveLength(2);
    expect(etcds[0]).toBe(probeEtcd);
  });

  it('stackedEtcdContainer is the static pod etcd, not the probe', () => {
    const container = stackedEtcdContainer(node)!;
    expect(sandboxOf(container.sandboxId)).toMatchObject({ namespace: 'kube-system', name: `etcd-${node.name}` });
  });

  it('findComponentProcess picks the static pod etcd even when the probe has the lower pid (after a pid wrap)', () => {
    const probe = node.processes.find((p) => p.identity.pod?.namespace === 'default' && p.args.includes('etcd'))!;
    const reordered = { ...node, processes: [{ ...probe, pid: 1, ppid: probe.ppid }, ...node.processes.filter((p) => p !== probe)] };
    expect(findComponentProcess(reordered, 'etcd')?.identity.pod).toMatchObject({ namespace: 'kube-system', name: `etcd-${node.name}` });
  });
});
