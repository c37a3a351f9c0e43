import { readFileSync } from 'node:fs';
import type { V1Node, V1NodeList, V1PodList } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { getLabStatus } from '../../../src/cluster/lab-status.js';
import { nodeMonitorPeriodMs, resumeLab, waitForSettledLab } from '../../../src/cluster/resume-lab.js';
import { suspendLab } from '../../../src/cluster/suspend-lab.js';
import { FakeDocker } from '../support/fake-docker.js';
import { fakeKindCli } from '../support/fake-kind-cli.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';

const fixture = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/kube-api/${file}`, import.meta.url), 'utf8')) as T;
// Recorded from a real single lab (test/fixtures/kube-api/README.md): one Ready node, every kube-system pod Ready.
const readyNode = fixture<V1NodeList>('single-nodes.json').items[0]!;
const pods = fixture<V1PodList>('single-kube-system-pods.json').items;
// A control plane's admin.conf, recorded from a real lab with its credentials redacted (test/fixtures/lab-status/README.md).
const ADMIN_CONF = readFileSync(new URL('../../fixtures/lab-status/admin-conf-sp2-status.yaml', import.meta.url), 'utf8');

/**
 * The recorded node as the node lifecycle controller leaves it after a long freeze: Ready condition
 * Unknown. Seen on a real lab (kubectl get nodes after `docker unpause` of a single lab frozen for
 * 60 s): Ready at the first look, NotReady a moment later, Ready again at the kubelet's next status update.
 */
function unknownNode(): V1Node {
  const node = structuredClone(readyNode);
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') c.status = 'Unknown';
  return node;
}

function singleLab(docker: FakeDocker, state = 'running'): void {
  docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo', 'io.x-k8s.kind.role': 'control-plane' }, state);
  docker.containers.at(-1)!.ports = { '6443/tcp': '127.0.0.1:39963' };
  docker.execAnswer = (_container, command) => (command.join(' ').endsWith('cat /etc/kubernetes/admin.conf') ? { stdout: ADMIN_CONF } : { exitCode: 1 });
  docker.addContainer('demo-external-etcd', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'etcd' }, state);
  // The never-started name claim: no process to freeze.
  docker.addContainer('demo-kindlab-claim', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'claim' }, 'created');
}

function deps(docker: FakeDocker, kube: FakeKubeApi): LabDeps {
  const kind = fakeKindCli();
  return { runner: new FakeRunner(), docker, kind: async () => kind, kube: () => kube, now: () => new Date('2026-11-30T12:00:00Z') };
}

describe('lab suspend', () => {
  it('pauses every running container of the lab in one docker pause, never the claim; status says suspended', async () => {
    const docker = new FakeDocker();
    singleLab(docker);
    const result = await suspendLab(docker, 'demo');
    expect(result).toEqual({ name: 'demo', paused: ['demo-control-plane', 'demo-external-etcd'], alreadyPaused: [] });
    expect(docker.log).toEqual(['pause id-demo-control-plane id-demo-external-etcd']);
    expect((await getLabStatus(deps(docker, new FakeKubeApi()), 'demo'))?.state).toBe('suspended');
  });

  /**
   * A daemon whose freezer cannot stop `resisting` for its first `failures` attempts: the others of the
   * same `docker pause` are frozen, then the call fails with what Docker 20.10 answered in CI (a multi
   * lab on a 2-core host with three labs starting; stop 18's first run).
   */
  function freezerFailing(resisting: string, failures: number): FakeDocker {
    const docker = new FakeDocker();
    let left = failures;
    const pause = docker.pauseContainers.bind(docker);
    docker.pauseContainers = async (ids) => {
      if (!ids.includes(resisting) || left-- <= 0) return pause(ids);
      await pause(ids.filter((id) => id !== resisting));
      throw new Error(
        `error: failed to run docker (exit 1):\n  $ docker pause ${ids.join(' ')}\n  Error response from daemon: Cannot pause container ${resisting}: OCI runtime pause failed: unable to freeze: unknown`,
      );
    };
    return docker;
  }

  it('pauses again, 1 s apart, what the freezer could not stop on a busy host', async () => {
    const docker = freezerFailing('id-demo-control-plane', 2);
    singleLab(docker);
    const sleeps: number[] = [];
    const result = await suspendLab(docker, 'demo', { sleep: async (ms) => void sleeps.push(ms) });
    expect(result.paused).toEqual(['demo-control-plane', 'demo-external-etcd']);
    expect(docker.log).toEqual(['pause id-demo-external-etcd', 'pause id-demo-control-plane']);
    expect(sleeps).toEqual([1000, 1000]);
    expect((await getLabStatus(deps(docker, new FakeKubeApi()), 'demo'))?.state).toBe('suspended');
  });

  it('after the last attempt thaws what it froze and says which container resisted: the lab runs as before', async () => {
    const docker = freezerFailing('id-demo-control-plane', 99);
    singleLab(docker);
    const error = await suspendLab(docker, 'demo', { attempts: 3, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(String(error)).toContain('failed to suspend lab demo: demo-control-plane could not be frozen (after 3 attempt(s))');
    expect(docker.log.at(-1)).toBe('unpause id-demo-external-etcd');
    expect(docker.containers.filter((c) => c.state === 'running').map((c) => c.name)).toEqual(['demo-control-plane', 'demo-external-etcd']);
  });

  it('is idempotent: a frozen lab stays frozen, nothing is paused twice', async () => {
    const docker = new FakeDocker();
    singleLab(docker, 'paused');
    expect(await suspendLab(docker, 'demo')).toMatchObject({ paused: [], alreadyPaused: ['demo-control-plane', 'demo-external-etcd'] });
    expect(docker.log).toEqual([]);
  });

  it('refuses a lab with a stopped container, and a lab that does not exist (exit 3)', async () => {
    const docker = new FakeDocker();
    singleLab(docker);
    docker.containers[0]!.state = 'exited';
    await expect(suspendLab(docker, 'demo')).rejects.toThrow('failed to suspend lab demo: demo-control-plane is exited');
    await expect(suspendLab(docker, 'other')).rejects.toMatchObject({ message: 'lab other does not exist', exitCode: 3 });
  });
});

describe('lab resume', () => {
  it('unpauses what is frozen, then waits for the node Ready and kube-system pods Ready', async () => {
    const docker = new FakeDocker();
    singleLab(docker, 'paused');
    const kube = new FakeKubeApi({ nodes: [readyNode] }).add('pod', 'kube-system', ...pods);
    const result = await resumeLab(deps(docker, kube), 'demo', { waitMs: 30_000, settleMs: 0 });
    expect(result.unpaused).toEqual(['demo-control-plane', 'demo-external-etcd']);
    // admin.conf from the thawed node (the fake has no host pid: one exec), pointed at the published API port.
    expect(result.kubeconfig).toContain('"server": "https://127.0.0.1:39963"');
    expect(docker.log).toEqual(['unpause id-demo-control-plane id-demo-external-etcd']);
    expect(docker.containers.filter((c) => c.state === 'paused')).toEqual([]);
  });

  it('replay: Ready, then Unknown (the controller saw the stale heartbeat), then Ready: the settle time starts over', async () => {
    const kube = new FakeKubeApi().add('pod', 'kube-system', ...pods);
    // What each look at the nodes sees, in order; the last state repeats.
    const seen = [readyNode, unknownNode(), readyNode];
    let looks = 0;
    kube.listNodes = async () => [seen[Math.min(looks++, seen.length - 1)]!];
    const progress: string[] = [];
    await waitForSettledLab(kube, 1, { deadline: Date.now() + 30_000, settleMs: 40, intervalMs: 30, onProgress: (s) => progress.push(s) });
    expect(progress[0]).toMatch(/^1\/1 Ready, held 0\.0s of 0.04s$/);
    expect(progress).toContain('0/1 Ready');
    // Done only after the node was seen Ready again for the settle time, after the Unknown.
    expect(looks).toBeGreaterThanOrEqual(4);
  });

  /** The recorded node back to Ready at `at`: the kubelet's status update after the controller's Unknown. */
  function readyAgainNode(at: Date): V1Node {
    const node = structuredClone(readyNode);
    for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') c.lastTransitionTime = at;
    return node;
  }

  it('replay: Unknown at the thaw, then Ready with a transition after the thaw: done at once, no settle time', async () => {
    const kube = new FakeKubeApi().add('pod', 'kube-system', ...pods);
    const thawStarted = Date.now();
    // As recorded on a real single lab frozen 60 s: Ready at the first look, Unknown, Ready again (transition 11 s after the thaw).
    const seen = [readyNode, unknownNode(), readyAgainNode(new Date(thawStarted + 11_000))];
    let looks = 0;
    kube.listNodes = async () => [seen[Math.min(looks++, seen.length - 1)]!];
    const progress: string[] = [];
    await waitForSettledLab(kube, 1, { deadline: Date.now() + 30_000, thawStarted, settleMs: 60_000, intervalMs: 10, onProgress: (s) => progress.push(s) });
    expect(looks).toBe(3);
    expect(progress).toEqual([
      '1/1 Ready, held 0.0s of 60s',
      '0/1 Ready',
      '1/1 Ready, back to Ready since the thaw',
      expect.stringMatching(/Running and Ready/),
    ]);
  });

  it('a Ready transition from before the thaw still waits the settle time (the controller may not have looked yet)', async () => {
    const kube = new FakeKubeApi({ nodes: [readyAgainNode(new Date(Date.now() - 60_000))] }).add('pod', 'kube-system', ...pods);
    const progress: string[] = [];
    await expect(
      waitForSettledLab(kube, 1, {
        deadline: Date.now() + 200,
        thawStarted: Date.now(),
        settleMs: 60_000,
        intervalMs: 20,
        onProgress: (s) => progress.push(s),
      }),
    ).rejects.toThrow(/failed to wait for nodes Ready for one node-monitor period after the thaw within .*: 1\/1 Ready, held 0\.\ds of 60s/);
  });

  it('times out with the last state seen when the node stays Unknown', async () => {
    const kube = new FakeKubeApi({ nodes: [unknownNode()] }).add('pod', 'kube-system', ...pods);
    await expect(waitForSettledLab(kube, 1, { deadline: Date.now() + 100, settleMs: 0, intervalMs: 20 })).rejects.toThrow(
      /failed to wait for nodes Ready for one node-monitor period after the thaw within .*: 0\/1 Ready/,
    );
  });

  it("settles for kube-controller-manager's node-monitor period (read from its pod) and a second", async () => {
    // The recorded kind lab runs the controller with its default period (no flag): 5 s + 1 s.
    expect(nodeMonitorPeriodMs(pods.filter((p) => p.metadata?.labels?.component === 'kube-controller-manager'))).toBe(5000);
    const kube = new FakeKubeApi({ nodes: [readyNode] }).add('pod', 'kube-system', ...pods);
    const progress: string[] = [];
    await expect(waitForSettledLab(kube, 1, { deadline: Date.now() + 150, intervalMs: 20, onProgress: (s) => progress.push(s) })).rejects.toThrow(
      /held 0\.\ds of 6s/,
    );
    expect(kube.calls.filter((c) => c.startsWith('list pod'))).toEqual(['list pod kube-system component=kube-controller-manager']);
  });

  it('a node-monitor period the controller was started with wins; the longest when control planes differ; the default when none is listed', () => {
    const withPeriod = (period: string) => {
      const pod = structuredClone(pods.find((p) => p.metadata?.labels?.component === 'kube-controller-manager')!);
      pod.spec!.containers[0]!.command!.push(`--node-monitor-period=${period}`);
      return pod;
    };
    expect(nodeMonitorPeriodMs([withPeriod('1s')])).toBe(1000);
    expect(nodeMonitorPeriodMs([withPeriod('1s'), withPeriod('2500ms')])).toBe(2500);
    expect(nodeMonitorPeriodMs([withPeriod('not-a-duration')])).toBe(5000);
    expect(nodeMonitorPeriodMs([])).toBe(5000);
  });
});
