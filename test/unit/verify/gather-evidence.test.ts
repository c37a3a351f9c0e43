import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../../src/verify/gather-evidence.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeNodeExec } from '../support/fake-node-exec.js';

/*
 * Which image verify's probe pods run: the one of the etcd the control plane runs, as the snapshot names
 * it (test/fixtures/snapshot-multi.json, a real multi lab), with no exec; `crictl images` only where the
 * snapshot names none (external etcd, or a read that gave image ids only).
 */
describe('gatherEvidence: the probe pods image', () => {
  async function gather(snapshot = loadSnapshot('multi')) {
    const exec = new FakeNodeExec(() => ({ exitCode: 1, stdout: '', stderr: 'not answered in this test' }));
    const api = new FakeKubeApi();
    // The probe run deletes its pods at the end: keep the images they were created with.
    const images: Array<string | undefined> = [];
    const create = api.create.bind(api);
    api.create = async (kind, namespace, object) => {
      if (kind === 'pod') images.push((object as V1Pod).spec?.containers[0]?.image);
      return create(kind, namespace, object);
    };
    await gatherEvidence(snapshot, await loadExpectation('multi'), { exec, kube: api, probeTimeoutMs: 0 });
    return { exec, images };
  }

  it("is the image of the control plane's running etcd, without asking its containerd", async () => {
    const { exec, images } = await gather();
    expect(exec.calls.filter((c) => c.argv.includes('images'))).toEqual([]);
    // The DNS target and a client per worker.
    expect(images).toEqual(['registry.k8s.io/etcd:3.6.5-0', 'registry.k8s.io/etcd:3.6.5-0', 'registry.k8s.io/etcd:3.6.5-0']);
  });

  it('is asked of the control plane with crictl images where the snapshot names no etcd image', async () => {
    const snapshot = loadSnapshot('multi');
    for (const node of snapshot.nodes) for (const c of node.containerd?.containers ?? []) c.image = `sha256:${c.id}`;
    const { exec } = await gather(snapshot);
    expect(exec.calls.filter((c) => c.argv.includes('images')).map((c) => c.node)).toEqual(['insp-multi-control-plane']);
  });
});
