import { describe, expect, it } from 'vitest';
import { joinProcesses } from '../../../src/inspect/join-processes.js';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { withoutInspector } from '../../../src/inspect/read-node-processes.js';
import type { ProcessRecord } from '../../../src/inspect/snapshot.js';
import { joinRawNode as join } from '../../fixtures/join-raw-node.js';
import { loadRawNodes, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const CNI_DAEMONS = ['kindnetd', 'flanneld'];
const nodes = TOPOLOGIES.flatMap((t) => loadRawNodes(t)).filter((n) => n.hasContainerd);
const controlPlanes = nodes.filter((n) => n.node.includes('control-plane'));
const workers = nodes.filter((n) => n.node.includes('worker'));
const components = (processes: ProcessRecord[]) => new Set(processes.map((p) => p.identity.component));

describe('joinProcesses on recorded kind nodes', () => {
  it('has control-plane and worker recordings', () => {
    expect(controlPlanes.length).toBeGreaterThan(0);
    expect(workers.length).toBeGreaterThan(0);
  });

  it.each(nodes.map((n) => [n.node, n] as const))('%s: every shim -> its sandbox -> its pod, one pause per ready sandbox', (_name, raw) => {
    const { processes, view } = join(raw);
    const ready = view.sandboxes.filter((s) => s.state === 'SANDBOX_READY');
    const shims = processes.filter((p) => p.identity.kind === 'shim');
    const pauses = processes.filter((p) => p.identity.kind === 'pause');
    expect(pauses).toHaveLength(ready.length);
    expect(new Set(shims.map((s) => s.identity.sandboxId))).toEqual(new Set(ready.map((s) => s.id)));
    for (const shim of shims) {
      const sandbox = view.sandboxes.find((s) => s.id === shim.identity.sandboxId)!;
      expect(shim.args).toContain(sandbox.id);
      expect(shim.identity.pod).toEqual(sandbox.pod);
    }
    for (const pause of pauses) {
      expect(pause.args).toMatch(/(^|\/)pause$/);
      const shim = processes.find((p) => p.pid === pause.ppid)!;
      expect(shim.identity).toMatchObject({ kind: 'shim', sandboxId: pause.identity.sandboxId });
      expect(pause.identity.pod).toEqual(shim.identity.pod);
    }
    // Every container's processes sit under the shim of the container's own sandbox.
    for (const p of processes.filter((q) => q.identity.kind === 'container')) {
      let parent = processes.find((q) => q.pid === p.ppid);
      while (parent && parent.identity.kind === 'container') parent = processes.find((q) => q.pid === parent!.ppid);
      expect(parent?.identity).toMatchObject({ kind: 'shim', sandboxId: p.identity.sandboxId });
    }
    for (const c of ['systemd', 'containerd', 'kubelet', 'kube-proxy']) expect(components(processes), c).toContain(c);
  });

  it.each(controlPlanes.map((n) => [n.node, n] as const))('%s: the control-plane components run as static pods of this node', (name, raw) => {
    const { processes } = join(raw);
    for (const component of ['etcd', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager']) {
      const main = processes.find((p) => p.identity.component === component && p.identity.main);
      expect(main, component).toBeDefined();
      expect(main!.identity).toMatchObject({ kind: 'container', container: component, pod: { namespace: 'kube-system', name: `${component}-${name}` } });
    }
  });

  it.each(workers.map((n) => [n.node, n] as const))('%s: the worker runs the CNI daemon and kube-proxy in DaemonSet pods', (_name, raw) => {
    const { processes } = join(raw);
    const cni = processes.find((p) => CNI_DAEMONS.includes(p.identity.component ?? '') && p.identity.kind === 'container');
    const proxy = processes.find((p) => p.identity.component === 'kube-proxy' && p.identity.main);
    expect(cni?.identity.pod?.name).toMatch(/^(kindnet|kube-flannel)-/);
    expect(proxy?.identity.pod?.name).toMatch(/^kube-proxy-/);
    expect(processes.filter((p) => p.identity.component === 'etcd')).toEqual([]);
  });
});

function byParent<T extends { ppid: number }>(processes: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const p of processes) groups.set(p.ppid, [...(groups.get(p.ppid) ?? []), p]);
  return groups;
}

describe('joinProcesses while pods running the pause image come and go (test/fixtures/record-churn.sh)', () => {
  const [churn] = loadRawNodes('single-churn');

  it('has a recording where a shim has two /pause children', () => {
    const pauseChildren = parsePsOutput(churn!.ps).filter((p) => /(^|\/)pause$/.test(p.args));
    const byShim = byParent(pauseChildren);
    expect([...byShim.values()].some((children) => children.length > 1)).toBe(true);
  });

  it('gives every ready sandbox one pause (the pid crictl gave, when it gave one); a later /pause is the app container of that pod', () => {
    const { processes, view } = join(churn!);
    const ready = view.sandboxes.filter((s) => s.state === 'SANDBOX_READY');
    for (const sandbox of ready) {
      const pauses = processes.filter((p) => p.identity.kind === 'pause' && p.identity.sandboxId === sandbox.id);
      expect(pauses, sandbox.pod.name).toHaveLength(1);
      if (sandbox.pid) expect(pauses[0]!.pid).toBe(sandbox.pid);
    }
    const appPauses = processes.filter((p) => p.identity.kind === 'container' && /(^|\/)pause$/.test(p.args));
    expect(appPauses.length).toBeGreaterThan(0);
    for (const app of appPauses) {
      const sandbox = ready.find((s) => s.id === app.identity.sandboxId)!;
      expect(app.identity.pod).toEqual(sandbox.pod);
      expect(app.identity.pod?.name).toMatch(/^race-app-/);
      expect(processes.find((p) => p.pid === app.ppid)?.identity).toMatchObject({ kind: 'shim', sandboxId: sandbox.id });
    }
  });

  it('without crictl, takes the first /pause under each shim as the pause and the later one as a container', () => {
    const processes = joinProcesses(withoutInspector(parsePsOutput(churn!.ps)), undefined);
    const byShim = byParent(processes.filter((p) => /(^|\/)pause$/.test(p.args)));
    for (const children of byShim.values()) {
      const [first, ...later] = children.sort((a, b) => a.pid - b.pid);
      expect(first!.identity.kind).toBe('pause');
      for (const p of later) expect(p.identity.kind).toBe('container');
    }
  });
});
