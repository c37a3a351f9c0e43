import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thawFrozenCgroups } from '../../../src/docker/thaw-frozen-cgroups.js';

const NODE = '9bf487bbaed1d4a44b362f162598a617ef71756d110663e2f5fd7ec494e841ac';
// The pod scope left FROZEN inside the node e2e-int-external-6-control-plane after `lab up` was interrupted
// at its pods step (read on the host: grep freezer /proc/<runc init pid>/cgroup, then its freezer.state).
const POD_SCOPE =
  'kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod92f28d53_c00a_4574_b663_d1d97e749c29.slice/cri-containerd-1d17c1fb110a720b961dc6f10722c5f277f0eb5d95e79941597bc09ea2fd161a.scope';

/** A /proc and /sys/fs/cgroup of their own: the node's init (pid 30381) in /docker/<id>, one pod scope frozen below it. */
function host(initCgroup = `/docker/${NODE}`): { proc: string; cgroup: string; state: (dir: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'kindlab-freezer-'));
  const proc = join(root, 'proc');
  const cgroup = join(root, 'cgroup');
  mkdirSync(join(proc, '30381'), { recursive: true });
  writeFileSync(join(proc, '30381', 'cgroup'), `12:pids:/docker/${NODE}\n6:freezer:${initCgroup}\n1:name=systemd:/docker/${NODE}/init.scope\n`);
  const write = (dir: string, state: string) => {
    mkdirSync(join(cgroup, 'freezer', dir), { recursive: true });
    writeFileSync(join(cgroup, 'freezer', dir, 'freezer.state'), `${state}\n`);
  };
  write(`docker/${NODE}`, 'THAWED');
  write(`docker/${NODE}/kubelet.slice`, 'THAWED');
  write(`docker/${NODE}/${POD_SCOPE}`, 'FROZEN');
  write('docker/another-container', 'FROZEN');
  return { proc, cgroup, state: (dir) => readFileSync(join(cgroup, 'freezer', dir, 'freezer.state'), 'utf8').trim() };
}

describe('thawFrozenCgroups', () => {
  it("thaws the frozen pod scope inside the node and nothing outside the node's own cgroup", () => {
    const h = host();
    expect(thawFrozenCgroups(30381, NODE, h)).toEqual([join(h.cgroup, 'freezer', 'docker', NODE, POD_SCOPE)]);
    expect(h.state(`docker/${NODE}/${POD_SCOPE}`)).toBe('THAWED');
    expect(h.state('docker/another-container')).toBe('FROZEN');
  });

  it('touches nothing when the pid is not the container’s here (a daemon on another host) or is gone', () => {
    const h = host('/user.slice/session-1.scope');
    expect(thawFrozenCgroups(30381, NODE, h)).toEqual([]);
    expect(thawFrozenCgroups(4242, NODE, h)).toEqual([]);
    expect(h.state(`docker/${NODE}/${POD_SCOPE}`)).toBe('FROZEN');
  });
});
