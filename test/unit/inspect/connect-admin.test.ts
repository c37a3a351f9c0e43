import { describe, expect, it } from 'vitest';
import type { ClusterContainer } from '../../../src/inspect/docker/cluster-containers.js';
import { connectAdmin } from '../../../src/inspect/k8s/connect-admin.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeNodeExec } from '../support/fake-node-exec.js';

/** Our model of kind's control-plane container (published API port as `docker ps` shows it), not a recording. */
const controlPlane: ClusterContainer = {
  id: 'cp',
  name: 'demo-control-plane',
  role: 'control-plane',
  image: 'kindlab/node:v1.34.4',
  state: 'running',
  status: 'Up',
  ports: { '6443/tcp': '127.0.0.1:41234' },
  labels: {},
};
const ADMIN_CONF = 'apiVersion: v1\nclusters:\n- cluster: {server: "https://demo-control-plane:6443"}\n  name: kind-demo\n';

describe('connectAdmin: one read of the admin credentials per command', () => {
  it('reads admin.conf once however often the snapshot, probes and tour ask, and points the client at the published port', async () => {
    const reads: string[] = [];
    const texts: string[] = [];
    const exec = new FakeNodeExec((node, argv) => (reads.push(`${node} ${argv.join(' ')}`), { exitCode: 0, stdout: ADMIN_CONF, stderr: '' }));
    const connect = connectAdmin({ exec, kube: (text) => (texts.push(text), new FakeKubeApi()) }, [controlPlane]);
    const [first, second] = await Promise.all([connect(), connect()]);
    expect(await connect()).toBe(first);
    expect(second).toBe(first);
    expect(reads).toEqual(['demo-control-plane cat /etc/kubernetes/admin.conf']);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('https://127.0.0.1:41234');
  });

  it('shares a failure too, without reading again', async () => {
    let reads = 0;
    const exec = new FakeNodeExec(() => (reads++, { exitCode: 1, stdout: '', stderr: 'No such file or directory' }));
    const connect = connectAdmin({ exec, kube: () => new FakeKubeApi() }, [controlPlane]);
    await expect(connect()).rejects.toThrow(
      /failed to run `docker exec demo-control-plane cat \/etc\/kubernetes\/admin.conf` \(exit 1\): No such file or directory/,
    );
    await expect(connect()).rejects.toThrow(/admin.conf/);
    expect(reads).toBe(1);
  });
});
