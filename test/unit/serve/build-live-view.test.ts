import { describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { buildLiveView } from '../../../src/serve/build-live-view.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';
import { recordedEvidence } from '../verify/fixtures.js';

const texts = loadAnnotations('en');

describe.each(TOPOLOGIES)('the live view of the recorded %s cluster', (topology) => {
  const snapshot = loadSnapshot(topology);
  const view = buildLiveView(snapshot, texts);

  it('puts every shim and pause into the group of its own pod, and every node service outside the pods', () => {
    for (const node of snapshot.nodes) {
      const live = view.nodes.find((n) => n.name === node.name)!;
      for (const p of node.processes.filter((q) => q.identity.kind === 'shim' || q.identity.kind === 'pause')) {
        const pod = live.pods.find((g) => g.uid === p.identity.pod?.uid);
        expect(pod, `${node.name} pid ${p.pid}`).toBeDefined();
        expect(p.identity.kind === 'shim' ? pod!.shim?.pid : pod!.pause?.pid).toBe(p.pid);
      }
      const system = node.processes.filter((q) => q.identity.kind === 'system').map((q) => q.pid);
      expect(live.services.map((s) => s.pid).sort()).toEqual(system.sort());
    }
  });

  it('keeps the report annotation texts on shims and pauses', () => {
    const pods = view.nodes.flatMap((n) => n.pods).filter((p) => p.shim && p.pause);
    expect(pods.length).toBeGreaterThan(3);
    for (const pod of pods) {
      expect(pod.shim!.annotation).toBe(`shim of pod ${pod.namespace}/${pod.name}: keeps its containers running independently of containerd`);
      expect(pod.pause!.annotation).toBe(`/pause: holds the namespaces of pod ${pod.namespace}/${pod.name}`);
    }
  });

  it('links every kubelet to an api-server (through the load balancer where there is one), every api-server to etcd and back to each kubelet', () => {
    const kubelets = view.nodes.filter((n) => n.components.includes('kubelet')).map((n) => `${n.name}/kubelet`);
    const apiServers = view.nodes.filter((n) => n.components.includes('kube-apiserver')).map((n) => `${n.name}/kube-apiserver`);
    const lb = view.nodes.find((n) => n.role === 'external-load-balancer');
    expect(kubelets.length).toBe(snapshot.nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker').length);
    for (const kubelet of kubelets) {
      const up = view.links.find((l) => l.from === kubelet)!;
      expect(up.to).toBe(lb ? `${lb.name}/haproxy` : apiServers[0]);
      expect(view.links.some((l) => l.to === kubelet && apiServers.includes(l.from))).toBe(true);
    }
    for (const api of apiServers) expect(view.links.find((l) => l.from === api && l.to.endsWith('/etcd'))).toBeDefined();
    // Every end of an arrow is a component the page draws on that node.
    for (const end of view.links.flatMap((l) => [l.from, l.to])) {
      const [node, component] = end.split('/');
      expect(view.nodes.find((n) => n.name === node)?.components, end).toContain(component);
    }
  });
});

describe('the live view of a pod whose container containerd put in a shim of its own (recorded: test/fixtures/record-split-shim.sh)', () => {
  it("draws the pod's shim with its pause, and the second shim among the pod's processes", () => {
    const { snapshot } = recordedEvidence('multi-split-shim');
    const worker = snapshot.nodes.find((n) => n.name === 'rm-worker2')!;
    const pod = buildLiveView(snapshot, texts)
      .nodes.find((n) => n.name === 'rm-worker2')!
      .pods.find((p) => p.name.startsWith('kube-flannel-'))!;
    const pause = worker.processes.find((p) => p.pid === pod.pause!.pid)!;
    expect(pod.shim!.pid).toBe(pause.ppid);
    const second = pod.processes.filter((p) => p.kind === 'shim');
    expect(second).toHaveLength(1);
    expect(second[0]!.pid).not.toBe(pod.shim!.pid);
    expect(pod.processes.find((p) => p.component === 'flanneld')).toBeDefined();
  });
});
