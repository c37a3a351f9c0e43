import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ObjectMeta, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import type { ProcessTable } from '../../../src/common/run-owner.js';
import { runProbePods } from '../../../src/verify/run-probe-pods.js';
import { abortWhenCalled } from '../support/abort-when-called.js';
import type { KubeObjects, ObjectKind } from '../../../src/kube/kube-api.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/** Pod objects read back from a real cluster (kubectl get pod -o json), see test/fixtures/verify/README.md. */
interface RecordedProbe {
  target: V1Pod[];
  client: V1Pod[];
  clientLog: string;
}
const recorded = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', 'probe-pods.json'), 'utf8')) as RecordedProbe;
/** A failed client's log from a real verify: etcdctl given HTTP 404 through the Service (test/fixtures/verify/README.md). */
const CLIENT_404_LOG = readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', 'probe-client-404.txt'), 'utf8');

/** The one fake API, replaying recorded pod states in order; leftovers of other runs sit in default as pods. */
class ReplayKubeApi extends FakeKubeApi {
  readonly created: Array<V1Pod | V1Service> = [];
  constructor(
    private readonly states: Record<string, V1Pod[]>,
    /** One log for every pod, or each pod's own. */
    private readonly log: string | Record<string, string>,
    existing: V1ObjectMeta[] = [],
  ) {
    super();
    this.add('pod', 'default', ...existing.map((metadata) => ({ metadata })));
  }
  override async podLog(namespace: string, name: string) {
    this.calls.push(`log ${namespace}/${name}`);
    return typeof this.log === 'string' ? this.log : this.log[name]!;
  }
  override async create<K extends ObjectKind>(kind: K, namespace: string, object: KubeObjects[K]) {
    this.created.push(object as V1Pod | V1Service);
    return super.create(kind, namespace, object);
  }
  override async read<K extends ObjectKind>(_kind: K, _namespace: string, name: string) {
    const queue = this.states[name]!;
    return (queue.length > 1 ? queue.shift()! : queue[0]!) as KubeObjects[K];
  }
}

/** Every state a watch saw of a DNS target and a client during a real `lab verify` (record-probe-pod-states.sh). */
const watchedStates = () =>
  JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', 'probe-pod-states.json'), 'utf8')) as Omit<RecordedProbe, 'clientLog'>;
/** The kubelet reports the container terminated about a second before it sets the pod's phase. */
const terminatedBeforePhase = (pod: V1Pod) => pod.status?.phase === 'Pending' && pod.status.containerStatuses?.[0]?.state?.terminated !== undefined;

/** What deleting one run's probe objects asks the API. */
const deletesOf = (run: string) => [`delete pod default ${LAB_VERIFY},dev.kindlab.run=${run}`, `delete service default ${LAB_VERIFY},dev.kindlab.run=${run}`];

/**
 * This process is pid 100 started at tick 5000; pid 200 (start tick 7000) is another live verify;
 * pid 300 has exited. Boot ids as /proc/sys/kernel/random/boot_id prints them.
 */
const BOOT = '0e5b8d2c-1f9a-4c53-9a3e-2d5f6b7c8d90';
const processes: ProcessTable = {
  host: 'box',
  pid: 100,
  boot: BOOT,
  startTicks: (pid) => ({ 100: '5000', 200: '7000' })[pid],
};
const options = {
  lab: 'verify-ha',
  image: 'registry.k8s.io/etcd:3.6.5-0',
  targets: ['verify-ha-worker'],
  targetHost: 'verify-ha-control-plane',
  timeoutMs: 60_000,
  pollMs: 1,
  runId: 'rec',
  processes,
};
const LAB_VERIFY = 'dev.kindlab.lab=verify-ha,dev.kindlab.component=verify';
const states = () => ({ 'kindlab-verify-dns-rec': [...recorded.target], 'kindlab-verify-rec-probe-0': [...recorded.client] });

function leftover(name: string, run: string, owner?: string): V1ObjectMeta {
  return {
    name,
    labels: { 'dev.kindlab.lab': 'verify-ha', 'dev.kindlab.component': 'verify', 'dev.kindlab.run': run },
    ...(owner ? { annotations: { 'dev.kindlab.run-owner': owner } } : {}),
  };
}

describe('runProbePods', () => {
  it('starts the DNS target, then a client per node, and reports what the client printed; deletes only its own run', async () => {
    const api = new ReplayKubeApi(states(), recorded.clientLog);
    const [outcome] = await runProbePods(api, options);
    expect(api.calls).toEqual([
      `list pod default ${LAB_VERIFY}`,
      `list service default ${LAB_VERIFY}`,
      'create service default/kindlab-verify-dns-rec',
      'create pod default/kindlab-verify-dns-rec',
      'create pod default/kindlab-verify-rec-probe-0',
      'log default/kindlab-verify-rec-probe-0',
      ...deletesOf('rec'),
      // and waits until they are gone
      `list pod default ${LAB_VERIFY},dev.kindlab.run=rec`,
      `list service default ${LAB_VERIFY},dev.kindlab.run=rec`,
    ]);
    expect(api.objects).toEqual([]);
    expect(outcome).toMatchObject({
      pod: 'default/kindlab-verify-rec-probe-0',
      targetNode: 'verify-ha-worker',
      scheduledNode: 'verify-ha-worker',
      phase: 'Succeeded',
      exitCode: 0,
    });
    expect(outcome!.log).toMatch(/http:\/\/kindlab-verify-dns:2379 is healthy/);
    const client = api.created.find((o) => o.metadata?.name === 'kindlab-verify-rec-probe-0') as V1Pod;
    expect(client.spec!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'verify-ha-worker' });
    expect(client.metadata!.labels).toMatchObject({ 'dev.kindlab.lab': 'verify-ha', 'dev.kindlab.component': 'verify', 'dev.kindlab.run': 'rec' });
    expect(client.metadata!.annotations).toEqual({ 'dev.kindlab.run-owner': `box ${BOOT} 100 5000` });
    expect(client.spec!.containers[0]!.command).toEqual([
      '/usr/local/bin/etcdctl',
      '--endpoints=http://kindlab-verify-dns-rec:2379',
      '--dial-timeout=5s',
      '--command-timeout=10s',
      'endpoint',
      'status',
    ]);
  });

  it('ends the wait when the client container has terminated, before the kubelet sets the phase, with the phase it gets', async () => {
    // Every state a watch saw during a real `lab verify` (record-probe-pod-states.sh): the client was Pending with its
    // container terminated (exit 0) about a second before it was Succeeded.
    const watched = watchedStates();
    const client = watched.client.map((pod) => ({ ...pod, metadata: { ...pod.metadata, name: 'kindlab-verify-rec-probe-0' } }));
    const early = client.findIndex(terminatedBeforePhase);
    expect(early).toBeGreaterThan(0);
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [...watched.target], 'kindlab-verify-rec-probe-0': client }, recorded.clientLog);
    const [outcome] = await runProbePods(api, options);
    expect(outcome).toMatchObject({ phase: 'Succeeded', exitCode: 0 });
    // Read up to and including the first terminated state; the Succeeded ones after it were not waited for.
    expect(client.length).toBe(watched.client.length - early - 1);
    expect(api.calls).toContain('log default/kindlab-verify-rec-probe-0');
  });

  it('gives a client whose container exited non-zero before its phase was set the phase Failed, after a second client failed too', async () => {
    const watched = watchedStates();
    const early = watched.client.find(terminatedBeforePhase)!;
    // The same recorded state with the exit code of a failed lookup (etcdctl exits 1).
    const failed = structuredClone(early);
    failed.status!.containerStatuses![0]!.state!.terminated!.exitCode = 1;
    const api = new ReplayKubeApi(
      { 'kindlab-verify-dns-rec': [...watched.target], 'kindlab-verify-rec-probe-0': [failed], 'kindlab-verify-rec-probe-0-retry': [failed] },
      CLIENT_404_LOG,
    );
    const [outcome] = await runProbePods(api, options);
    expect(outcome).toMatchObject({ pod: 'default/kindlab-verify-rec-probe-0-retry', phase: 'Failed', exitCode: 1 });
    expect(outcome!.firstAttempt).toMatchObject({ pod: 'default/kindlab-verify-rec-probe-0', phase: 'Failed', exitCode: 1 });
  });

  it('starts one more client on the node of a client that failed, and reports the second with the first attempt kept', async () => {
    const watched = watchedStates();
    const failed = structuredClone(watched.client.find(terminatedBeforePhase)!);
    failed.status!.containerStatuses![0]!.state!.terminated!.exitCode = 1;
    const api = new ReplayKubeApi(
      { 'kindlab-verify-dns-rec': [...watched.target], 'kindlab-verify-rec-probe-0': [failed], 'kindlab-verify-rec-probe-0-retry': [...recorded.client] },
      { 'kindlab-verify-rec-probe-0': CLIENT_404_LOG, 'kindlab-verify-rec-probe-0-retry': recorded.clientLog },
    );
    const [outcome] = await runProbePods(api, options);
    expect(outcome).toMatchObject({ pod: 'default/kindlab-verify-rec-probe-0-retry', targetNode: 'verify-ha-worker', phase: 'Succeeded', exitCode: 0 });
    expect(outcome!.firstAttempt).toEqual({ pod: 'default/kindlab-verify-rec-probe-0', phase: 'Failed', exitCode: 1, log: CLIENT_404_LOG });
    const retry = api.created.find((o) => o.metadata?.name === 'kindlab-verify-rec-probe-0-retry') as V1Pod;
    expect(retry.spec!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'verify-ha-worker' });
    expect(retry.metadata!.labels).toMatchObject({ 'dev.kindlab.run': 'rec', 'dev.kindlab.verify-role': 'client' });
    // Both are this run's: deleted with it by label.
    expect(api.calls.filter((c) => c.startsWith('delete'))).toEqual(deletesOf('rec'));
    expect(api.objects).toEqual([]);
  });

  it('starts no second client when the first could not run (never scheduled, never finished)', async () => {
    const pending = recorded.client[0]!;
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [...recorded.target], 'kindlab-verify-rec-probe-0': [pending] }, '');
    const [outcome] = await runProbePods(api, { ...options, timeoutMs: 0 });
    expect(outcome!.firstAttempt).toBeUndefined();
    expect(api.calls.filter((c) => c.startsWith('create pod'))).toEqual([
      'create pod default/kindlab-verify-dns-rec',
      'create pod default/kindlab-verify-rec-probe-0',
    ]);
  });

  it('reports a pod that never finished as it was last seen', async () => {
    const pending = recorded.client[0]!;
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [...recorded.target], 'kindlab-verify-rec-probe-0': [pending] }, '');
    const [outcome] = await runProbePods(api, { ...options, timeoutMs: 0 });
    expect(outcome!.phase).toBe('Pending');
    expect(api.calls.filter((c) => c.startsWith('delete'))).toEqual(deletesOf('rec'));
  });

  it('deletes only its own pods when interrupted', async () => {
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [recorded.target[0]!], 'kindlab-verify-rec-probe-0': [...recorded.client] }, '');
    const abort = new AbortController();
    // Ctrl-C while the first pod is being read.
    abortWhenCalled(api, 'read', abort, new Error('interrupted'));
    const run = runProbePods(api, { ...options, signal: abort.signal });
    await expect(run).rejects.toThrow('interrupted');
    expect(api.calls.filter((c) => c.startsWith('delete'))).toEqual(deletesOf('rec'));
  });

  it("leaves a live verify's objects alone and removes only runs whose process is provably gone", async () => {
    const api = new ReplayKubeApi(states(), recorded.clientLog, [
      leftover('kindlab-verify-live0001-probe-0', 'live0001', `box ${BOOT} 200 7000`),
      // pid 200 again, but started later: the pid was reused, the run that wrote this is gone.
      leftover('kindlab-verify-reused01-probe-0', 'reused01', `box ${BOOT} 200 6000`),
      leftover('kindlab-verify-exited01-probe-0', 'exited01', `box ${BOOT} 300 9000`),
      leftover('kindlab-verify-dns-reboot01', 'reboot01', 'box 11111111-2222-3333-4444-555555555555 100 5000'),
      // Another host, or no owner at all (a kindlab without run owners): cannot be proven dead.
      leftover('kindlab-verify-remote01-probe-0', 'remote01', `other ${BOOT} 300 9000`),
      leftover('kindlab-verify-legacy01-probe-0', 'legacy01'),
    ]);
    await runProbePods(api, options);
    expect(api.calls.filter((c) => c.startsWith('delete'))).toEqual([
      ...deletesOf('exited01'),
      ...deletesOf('reboot01'),
      ...deletesOf('reused01'),
      ...deletesOf('rec'),
    ]);
    expect(api.objects.map((o) => o.object.metadata?.labels?.['dev.kindlab.run']).sort()).toEqual(['legacy01', 'live0001', 'remote01']);
  });

  it('two runs on one lab select only their own DNS target', async () => {
    const [first, second] = [
      new ReplayKubeApi(states(), recorded.clientLog),
      new ReplayKubeApi({ 'kindlab-verify-dns-other': [...recorded.target], 'kindlab-verify-other-probe-0': [...recorded.client] }, recorded.clientLog),
    ];
    await Promise.all([runProbePods(first, options), runProbePods(second, { ...options, runId: 'other' })]);
    const service = (api: ReplayKubeApi) => api.created.find((o) => o.kind === 'Service') as V1Service;
    expect(service(first).spec!.selector).toEqual({ 'dev.kindlab.lab': 'verify-ha', 'dev.kindlab.run': 'rec', 'dev.kindlab.verify-role': 'dns-target' });
    expect(service(second).spec!.selector).toEqual({ 'dev.kindlab.lab': 'verify-ha', 'dev.kindlab.run': 'other', 'dev.kindlab.verify-role': 'dns-target' });
    expect(first.created.map((o) => o.metadata!.name)).toEqual(['kindlab-verify-dns-rec', 'kindlab-verify-dns-rec', 'kindlab-verify-rec-probe-0']);
    expect(second.created.map((o) => o.metadata!.name)).toEqual(['kindlab-verify-dns-other', 'kindlab-verify-dns-other', 'kindlab-verify-other-probe-0']);
  });
});
