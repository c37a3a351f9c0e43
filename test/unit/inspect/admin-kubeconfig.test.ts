import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAdminKubeconfig } from '../../../src/inspect/k8s/admin-kubeconfig.js';
import { FakeNodeExec } from '../support/fake-node-exec.js';

const NODE = 'ed1b274bc741c7c6b4329089923b16999d5cf53ca8f6dfc38dc3715bdcf54843';
/** `cat /proc/<State.Pid>/cgroup` of sp2-status-control-plane (test/fixtures/lab-status/README.md). */
const PROC_CGROUP = readFileSync(new URL('../../fixtures/lab-status/proc-cgroup-sp2-status-control-plane.txt', import.meta.url), 'utf8');
/** A kubeconfig kind wrote for a real lab (credentials redacted): admin.conf's shape. */
const KUBECONFIG = readFileSync(new URL('../../fixtures/kube-api/pool-lab-kubeconfig.yaml', import.meta.url), 'utf8');
/** hq-ha-control-plane's published API port (test/fixtures/docker/inspect-hq-ha.json). */
const controlPlane = {
  id: NODE,
  hostPid: 30381,
  name: 'demo-control-plane',
  role: 'control-plane',
  state: 'running',
  ports: { '6443/tcp': '127.0.0.1:39963' },
};

/** A /proc of its own: the node's init (pid 30381) in /docker/<id> (or elsewhere), admin.conf under its root. */
function host(initCgroup = `/docker/${NODE}`): { proc: string } {
  const proc = join(mkdtempSync(join(tmpdir(), 'kindlab-admin-')), 'proc');
  mkdirSync(join(proc, '30381', 'root', 'etc', 'kubernetes'), { recursive: true });
  writeFileSync(join(proc, '30381', 'cgroup'), PROC_CGROUP.replaceAll(`/docker/${NODE}`, initCgroup));
  writeFileSync(join(proc, '30381', 'root', 'etc', 'kubernetes', 'admin.conf'), KUBECONFIG);
  return { proc };
}

describe('readAdminKubeconfig', () => {
  it("reads admin.conf through the node's root on this host, with no exec, pointed at the published port", async () => {
    const exec = new FakeNodeExec(() => ({ exitCode: 1, stdout: '', stderr: 'not expected' }));
    const text = await readAdminKubeconfig(exec, [controlPlane], host());
    expect(exec.calls).toEqual([]);
    expect(text).toContain('"server": "https://127.0.0.1:39963"');
    expect(text).toContain('"client-key-data": "REDACTED"');
  });

  it('execs into the node when the pid is not its container here (a daemon on another host) or no pid is known', async () => {
    for (const [containers, roots] of [
      [[controlPlane], host('/user.slice/session-1.scope')],
      [[{ ...controlPlane, hostPid: undefined }], host()],
    ] as const) {
      const exec = new FakeNodeExec(() => ({ exitCode: 0, stdout: KUBECONFIG, stderr: '' }));
      expect(await readAdminKubeconfig(exec, containers, roots)).toContain('"server": "https://127.0.0.1:39963"');
      expect(exec.calls.map((c) => `${c.node} ${c.argv.join(' ')}`)).toEqual(['demo-control-plane cat /etc/kubernetes/admin.conf']);
    }
  });
});
