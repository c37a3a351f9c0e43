import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ProcessTable } from '../../../src/common/run-owner.js';
import { ApiClusterNodes } from '../../../src/inspect/k8s/api-cluster-nodes.js';
import { AGENT_NAMESPACE, agentPod, DEFAULT_AGENT_IMAGE } from '../../../src/node/agent-pod-manifest.js';
import { AGENT_RENEW_AFTER_MS, KubeAgentNodeExec } from '../../../src/node/kube-agent-node-exec.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/*
 * Recorded from a real multi lab (kindlab/node:v1.34.4), the pods created from agentPod() with kubectl:
 *   kubectl create -f <agentPod(run rec00001, kube-proxy's image, worker)>; kubectl wait --for=condition=Ready ...
 *   kubectl -n kube-system get pod kindlab-agent-rec00001-0 -o json   (agent-pod-ready.json)
 *   the same with image registry.invalid/kindlab/agent:none            (agent-pod-image-pull-error.json)
 *   kubectl get nodes -o json                                          (nodes.json)
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/api-path');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
const ready = fixture<V1Pod>('agent-pod-ready.json');
const pullError = fixture<V1Pod>('agent-pod-image-pull-error.json');

/** A fake API server whose pods answer reads with `states` in turn (the last one repeats), like a starting pod. */
function cluster(states: V1Pod[]): FakeKubeApi {
  const kube = new FakeKubeApi();
  let reads = 0;
  kube.read = (async (_kind: string, _namespace: string, name: string) => {
    const state = states[Math.min(reads++, states.length - 1)]!;
    return { ...state, metadata: { ...state.metadata, name } };
  }) as FakeKubeApi['read'];
  kube.execHandler = async (_namespace, _pod, _container, argv) => ({ exitCode: 0, stdout: `ran ${argv.join(' ')}\n`, stderr: '' });
  return kube;
}

const pending: V1Pod = { ...ready, status: { phase: 'Pending', conditions: [] } };

/** The FakeKubeApi stores what create is given, so a list sees the agent until it is deleted. */
function storing(kube: FakeKubeApi): FakeKubeApi {
  kube.create = (async (kind, namespace, object) => {
    kube.calls.push(`create ${kind} ${namespace}/${object.metadata?.name}`);
    kube.add('pod', namespace, object);
    return object;
  }) as FakeKubeApi['create'];
  return kube;
}
const options = { lab: 'ha-dev', runId: 'run00001', image: DEFAULT_AGENT_IMAGE, readyTimeoutMs: 5_000, pollMs: 1 };

describe('KubeAgentNodeExec', () => {
  it('starts one agent per node, waits until it is Ready, and runs every command in it under chroot /host', async () => {
    const kube = cluster([pending, ready]);
    const exec = new KubeAgentNodeExec(kube, options);
    const first = await exec.exec('ha-dev-worker', ['ps', '-ww', '-eo', 'pid,ppid,args']);
    const second = await exec.exec('ha-dev-worker', ['crictl', 'pods'], { timeoutMs: 30_000 });
    expect(first.stdout).toBe('ran chroot /host ps -ww -eo pid,ppid,args\n');
    // The node's coreutils timeout ends what the host stopped waiting for.
    expect(second.stdout).toBe('ran chroot /host timeout --kill-after=2 32 crictl pods\n');
    expect(kube.calls.filter((c) => c.startsWith('create'))).toEqual(['create pod kube-system/kindlab-agent-run00001-0']);
    expect(exec.ownPods()).toEqual([{ namespace: AGENT_NAMESPACE, name: 'kindlab-agent-run00001-0' }]);
    expect(exec.command('ha-dev-worker', ['ps'])).toBe('kubectl exec -n kube-system kindlab-agent-run00001-0 -- chroot /host ps');
  });

  it('splits execEach output recorded in sections', async () => {
    const kube = cluster([ready]);
    kube.execHandler = async (_ns, _pod, _container, argv) => {
      // What the node's sh prints for two commands (COMMAND_SECTIONS_SCRIPT), answered for the separator given.
      const separator = argv[argv.indexOf('sh', 3) + 1]!;
      return {
        exitCode: 0,
        stdout: `${separator} 0\none\n\n${separator} 0 exit 0\n${separator} 1\n\n${separator} 1 exit 3\n`,
        stderr: `${separator} 0\n${separator} 1\nbad\n`,
      };
    };
    const exec = new KubeAgentNodeExec(kube, options);
    expect(await exec.execEach('ha-dev-worker', [['echo', 'one'], ['false']])).toEqual([
      { exitCode: 0, stdout: 'one\n', stderr: '' },
      { exitCode: 3, stdout: '', stderr: 'bad\n' },
    ]);
  });

  it('stops at once on an image the node cannot get, naming the reason and --agent-image', async () => {
    const exec = new KubeAgentNodeExec(cluster([pending, pullError]), { ...options, image: 'registry.invalid/kindlab/agent:none' });
    const failure = (await exec.exec('ha-dev-worker', ['ps']).then(
      () => new Error('no failure'),
      (error: unknown) => error,
    )) as Error & { hint?: string };
    expect(failure.message).toMatch(
      /agent pod kube-system\/kindlab-agent-run00001-0 on ha-dev-worker cannot start: ErrImagePull: failed to pull and unpack image/,
    );
    expect(failure.hint).toMatch(/--agent-image/);
  });

  it('gives up after its deadline with the last state seen', async () => {
    const exec = new KubeAgentNodeExec(cluster([pending]), { ...options, readyTimeoutMs: 20 });
    await expect(exec.exec('ha-dev-worker', ['ps'])).rejects.toThrow(
      /agent pod kube-system\/kindlab-agent-run00001-0 on ha-dev-worker to be Ready.*phase Pending/,
    );
  });

  it('deletes the run’s agents by its run id and waits until the API no longer lists them, also after Ctrl-C', async () => {
    const kube = storing(cluster([pending]));
    const controller = new AbortController();
    const exec = new KubeAgentNodeExec(kube, { ...options, readyTimeoutMs: 60_000, signal: controller.signal });
    const reading = exec.exec('ha-dev-worker', ['ps']);
    setTimeout(() => controller.abort('SIGINT'), 20);
    await expect(reading).rejects.toBe('SIGINT');
    await exec.dispose();
    expect(kube.calls.filter((c) => !c.startsWith('exec'))).toEqual([
      'list pod kube-system dev.kindlab.component=node-agent',
      'create pod kube-system/kindlab-agent-run00001-0',
      'list pod kube-system dev.kindlab.component=node-agent,dev.kindlab.run=run00001',
      'delete pod kube-system/kindlab-agent-run00001-0',
      'list pod kube-system dev.kindlab.component=node-agent,dev.kindlab.run=run00001',
    ]);
  });

  it('deletes gracefully and waits while a kubelet is still stopping an agent (the API lists it until its processes are gone)', async () => {
    const kube = storing(cluster([ready]));
    // What the API answers between a graceful delete and the kubelet's confirmation: the pod, terminating.
    let listsUntilGone = 3;
    kube.deletePod = async (namespace, name) => {
      kube.calls.push(`delete pod ${namespace}/${name}`);
      for (const o of kube.objects) if (o.object.metadata?.name === name) o.object.metadata.deletionTimestamp = new Date();
    };
    const list = kube.list.bind(kube);
    kube.list = (async (kind, namespace, selector) => {
      const found = await list(kind, namespace, selector);
      if (found.some((p) => p.metadata?.deletionTimestamp) && --listsUntilGone === 0) kube.objects = [];
      return found;
    }) as FakeKubeApi['list'];
    const exec = new KubeAgentNodeExec(kube, options);
    await exec.exec('ha-dev-worker', ['ps']);
    await exec.dispose();
    expect(kube.objects).toEqual([]);
    // The list before the delete, three that still saw it terminating, and the one that did not.
    expect(kube.calls.filter((c) => c.startsWith('list pod kube-system dev.kindlab.component=node-agent,dev.kindlab.run=run00001'))).toHaveLength(5);
    // Never a force delete (grace period 0): that lets the API forget the pod before its processes are gone.
    expect(kube.calls.filter((c) => c.startsWith('delete pod kube-system dev.kindlab'))).toEqual([]);
    expect(agentPod(options, 'n', 0).spec?.terminationGracePeriodSeconds).toBeGreaterThan(0);
  });

  it('force-deletes and fails naming the run and the pods left when a kubelet never confirms', async () => {
    const kube = storing(cluster([ready]));
    kube.deletePod = async (namespace, name) => void kube.calls.push(`delete pod ${namespace}/${name}`);
    const exec = new KubeAgentNodeExec(kube, { ...options, removeTimeoutMs: 30 });
    await exec.exec('ha-dev-worker', ['ps']);
    await expect(exec.dispose()).rejects.toThrow(
      /failed to remove the agent pods of run run00001 gracefully: .*1 agent pods left: kindlab-agent-run00001-0 on ha-dev-worker; they were force-deleted/,
    );
    expect(kube.calls).toContain('delete pod kube-system dev.kindlab.component=node-agent,dev.kindlab.run=run00001');
    expect(kube.objects).toEqual([]);
  });

  it('removes the agents of an earlier run whose process is provably gone before starting its own, and leaves live or unknown runs alone', async () => {
    const kube = storing(cluster([ready]));
    // This process is pid 100 on host box; pid 200 runs (start time 7000), pid 300 does not.
    const processes: ProcessTable = { host: 'box', pid: 100, boot: 'boot-1', startTicks: (pid) => ({ 100: '5000', 200: '7000' })[pid] };
    const leftover = (run: string, owner: string | undefined) => {
      const pod = agentPod({ ...options, runId: run, ...(owner ? { owner } : {}) }, 'ha-dev-worker', 0);
      return { ...ready, metadata: pod.metadata };
    };
    kube.add(
      'pod',
      AGENT_NAMESPACE,
      leftover('dead0001', 'box boot-1 300 9000'),
      leftover('reboot01', 'box boot-0 200 7000'),
      leftover('live0001', 'box boot-1 200 7000'),
      leftover('other001', 'elsewhere boot-1 300 9000'),
      leftover('noowner1', undefined),
    );
    const exec = new KubeAgentNodeExec(kube, { ...options, processes });
    await exec.exec('ha-dev-worker', ['ps']);
    const left = (await kube.list('pod', AGENT_NAMESPACE)).map((p) => p.metadata?.labels?.['dev.kindlab.run']);
    expect(left.sort()).toEqual(['live0001', 'noowner1', 'other001', 'run00001']);
    const calls = kube.calls.filter((c) => c.startsWith('delete') || c.startsWith('create'));
    expect(calls).toEqual([
      'delete pod kube-system/kindlab-agent-dead0001-0',
      'delete pod kube-system/kindlab-agent-reboot01-0',
      'create pod kube-system/kindlab-agent-run00001-0',
    ]);
  });

  it('replaces an agent near the end of its lifetime (lab serve), deleting the old one only once its running command ended', async () => {
    const kube = storing(cluster([ready]));
    let clock = 0;
    let release: (() => void) | undefined;
    kube.execHandler = async (_ns, pod, _container, argv) => {
      if (argv.includes('slow')) await new Promise<void>((resolve) => (release = resolve));
      return { exitCode: 0, stdout: `${pod}\n`, stderr: '' };
    };
    const exec = new KubeAgentNodeExec(kube, { ...options, now: () => clock });
    expect((await exec.exec('ha-dev-worker', ['ps'])).stdout).toBe('kindlab-agent-run00001-0\n');
    clock = AGENT_RENEW_AFTER_MS - 1;
    const slow = exec.exec('ha-dev-worker', ['slow']);
    await new Promise((r) => setTimeout(r, 5));
    clock = AGENT_RENEW_AFTER_MS;
    // The young agent answers; the old one is not deleted while the slow command runs in it.
    expect((await exec.exec('ha-dev-worker', ['ps'])).stdout).toBe('kindlab-agent-run00001-1\n');
    expect(kube.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    release!();
    expect((await slow).stdout).toBe('kindlab-agent-run00001-0\n');
    await new Promise((r) => setTimeout(r, 5));
    expect(kube.calls.filter((c) => c.startsWith('delete') || c.startsWith('create'))).toEqual([
      'create pod kube-system/kindlab-agent-run00001-0',
      'create pod kube-system/kindlab-agent-run00001-1',
      'delete pod kube-system/kindlab-agent-run00001-0',
    ]);
    // A snapshot leaves both out; the young one keeps serving until it ages in turn.
    expect(exec.ownPods().map((p) => p.name)).toEqual(['kindlab-agent-run00001-0', 'kindlab-agent-run00001-1']);
    expect(exec.command('ha-dev-worker', ['ps'])).toBe('kubectl exec -n kube-system kindlab-agent-run00001-1 -- chroot /host ps');
  });

  it('asks nothing of the API when it started no agent', async () => {
    const kube = cluster([ready]);
    await new KubeAgentNodeExec(kube, options).dispose();
    expect(kube.calls).toEqual([]);
  });
});

describe('agentPod', () => {
  it('pins a privileged reader to its node, in its PID and network namespaces, with the node root read-only at /host', () => {
    const pod = agentPod({ ...options, owner: 'host 1 2 3' }, 'ha-dev-control-plane', 0);
    expect(pod.spec).toMatchObject({ nodeName: 'ha-dev-control-plane', hostPID: true, hostNetwork: true, tolerations: [{ operator: 'Exists' }] });
    expect(pod.spec?.containers[0]).toMatchObject({ securityContext: { privileged: true }, volumeMounts: [{ mountPath: '/host', readOnly: true }] });
    expect(pod.metadata?.labels).toEqual({ 'dev.kindlab.lab': 'ha-dev', 'dev.kindlab.component': 'node-agent', 'dev.kindlab.run': 'run00001' });
    // A context name that is no label value (admin@kubernetes) is left out of the labels, not sent to be refused.
    expect(agentPod({ ...options, lab: 'kubernetes-admin@kubernetes' }, 'n', 0).metadata?.labels).not.toHaveProperty('dev.kindlab.lab');
  });
});

describe('ApiClusterNodes', () => {
  it('lists the API’s nodes as the snapshot’s nodes: role, Ready state and InternalIP', async () => {
    const kube = new FakeKubeApi({ nodes: fixture<{ items: V1Node[] }>('nodes.json').items });
    const nodes = await new ApiClusterNodes(kube, 'ha-dev').listContainers();
    expect(nodes.map((n) => [n.name, n.role, n.state, n.ipv4])).toEqual([
      ['ha-dev-control-plane', 'control-plane', 'running', '172.18.0.12'],
      ['ha-dev-worker', 'worker', 'running', '172.18.0.11'],
      ['ha-dev-worker2', 'worker', 'running', '172.18.0.10'],
    ]);
  });
});
