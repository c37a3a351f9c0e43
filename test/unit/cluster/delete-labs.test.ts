import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteLabs } from '../../../src/cluster/delete-labs.js';
import { processStartTime } from '../../../src/common/run-owner.js';
import { FakeDocker, fakeKind } from '../support/fake-docker.js';

describe('deleteLabs (lab down --all)', () => {
  it('goes on past a busy lab and a failing one, removes the rest, and reports each outcome', async () => {
    const docker = new FakeDocker();
    for (const lab of ['alpha', 'busy', 'broken', 'omega']) {
      docker.addContainer(`${lab}-control-plane`, { 'io.x-k8s.kind.cluster': lab, 'dev.kindlab.lab': lab });
      docker.volumes.push({ name: `${lab}-kindlab`, labels: { 'dev.kindlab.lab': lab, 'dev.kindlab.component': 'metadata' }, createdAt: '' });
    }
    const deleting = fakeKind(docker, []);
    const kind = {
      ...deleting,
      deleteCluster: async (name: string, kubeconfig: string | undefined) => {
        if (name === 'broken') throw new Error('failed to run kind (exit 1): ERROR: failed to delete cluster "broken"');
        return deleting.deleteCluster(name, kubeconfig);
      },
    };
    const locks = mkdtempSync(join(tmpdir(), 'kindlab-locks-'));
    // Another kindlab process (our parent, really running) holds the lock of `busy`.
    writeFileSync(join(locks, 'busy.lock'), JSON.stringify({ pid: process.ppid, pidStart: processStartTime(process.ppid), startedAt: 'T' }));

    const outcomes = await deleteLabs({ docker, kind }, ['alpha', 'busy', 'broken', 'omega', 'ghost'], locks);

    expect(outcomes.map((o) => [o.name, o.outcome])).toEqual([
      ['alpha', 'removed'],
      ['busy', 'busy'],
      ['broken', 'failed'],
      ['omega', 'removed'],
      ['ghost', 'absent'],
    ]);
    expect(outcomes[1]).toMatchObject({
      exitCode: 2,
      error: expect.stringContaining('lab busy is busy'),
      hint: expect.stringContaining(`kill ${process.ppid}`),
    });
    expect(outcomes[2]).toMatchObject({ exitCode: 1, error: expect.stringContaining('failed to delete kind cluster broken') });
    // The busy lab is untouched; the broken one was still swept by label.
    expect(docker.containers.map((c) => c.name)).toEqual(['busy-control-plane']);
    expect(docker.volumes.map((v) => v.name)).toEqual(['busy-kindlab']);
    // Each removal sweeps until two rounds 1 s apart find nothing.
  }, 30_000);
});
