import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { runProbePods } from '../../../src/verify/run-probe-pods.js';
import type { VerifyKubeApi } from '../../../src/verify/verify-kube-api.js';

/** Pod objects read back from a real cluster (kubectl get pod -o json), see test/fixtures/verify/README.md. */
interface RecordedProbe {
  target: V1Pod[];
  client: V1Pod[];
  clientLog: string;
}
const recorded = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', 'probe-pods.json'), 'utf8')) as RecordedProbe;

/** Replays recorded pod states in order and logs every call. */
class ReplayKubeApi implements VerifyKubeApi {
  readonly server = 'https://127.0.0.1:6443';
  readonly calls: string[] = [];
  readonly created: Array<V1Pod | V1Service> = [];
  constructor(private readonly states: Record<string, V1Pod[]>, private readonly log: string) {}
  async gitVersion() {
    return 'v1.34.4';
  }
  async podLog(namespace: string, name: string) {
    this.calls.push(`log ${namespace}/${name}`);
    return this.log;
  }
  async createPod(namespace: string, pod: V1Pod) {
    this.calls.push(`create pod ${namespace}/${pod.metadata!.name}`);
    this.created.push(pod);
  }
  async readPod(_namespace: string, name: string) {
    const queue = this.states[name]!;
    return queue.length > 1 ? queue.shift()! : queue[0]!;
  }
  async createService(namespace: string, service: V1Service) {
    this.calls.push(`create service ${namespace}/${service.metadata!.name}`);
    this.created.push(service);
  }
  async deleteLabelled(namespace: string, selector: string) {
    this.calls.push(`delete ${namespace} ${selector}`);
  }
}

const options = { lab: 'verify-ha', image: 'registry.k8s.io/etcd:3.6.5-0', targets: ['verify-ha-worker'], targetHost: 'verify-ha-control-plane', timeoutMs: 60_000, sleep: async () => {}, runId: 'rec' };

describe('runProbePods', () => {
  it('starts the DNS target, then a client per node, and reports what the client printed; cleans up before and after', async () => {
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [...recorded.target], 'kindlab-verify-probe-0': [...recorded.client] }, recorded.clientLog);
    const [outcome] = await runProbePods(api, options);
    expect(api.calls).toEqual([
      'delete default dev.kindlab.lab=verify-ha,dev.kindlab.component=verify',
      'create service default/kindlab-verify-dns-rec',
      'create pod default/kindlab-verify-dns-rec',
      'create pod default/kindlab-verify-probe-0',
      'log default/kindlab-verify-probe-0',
      'delete default dev.kindlab.lab=verify-ha,dev.kindlab.component=verify',
    ]);
    expect(outcome).toMatchObject({ pod: 'default/kindlab-verify-probe-0', targetNode: 'verify-ha-worker', scheduledNode: 'verify-ha-worker', phase: 'Succeeded', exitCode: 0 });
    expect(outcome!.log).toMatch(/http:\/\/kindlab-verify-dns:2379 is healthy/);
    const client = api.created.find((o) => o.metadata?.name === 'kindlab-verify-probe-0') as V1Pod;
    expect(client.spec!.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'verify-ha-worker' });
    expect(client.metadata!.labels).toMatchObject({ 'dev.kindlab.lab': 'verify-ha', 'dev.kindlab.component': 'verify' });
    expect(client.spec!.containers[0]!.command).toEqual([
      '/usr/local/bin/etcdctl', '--endpoints=http://kindlab-verify-dns-rec:2379', '--dial-timeout=5s', '--command-timeout=10s', 'endpoint', 'health',
    ]);
  });

  it('reports a pod that never finished as it was last seen', async () => {
    const pending = recorded.client[0]!;
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [...recorded.target], 'kindlab-verify-probe-0': [pending] }, '');
    const [outcome] = await runProbePods(api, { ...options, timeoutMs: 0 });
    expect(outcome!.phase).toBe('Pending');
    expect(api.calls.at(-1)).toBe('delete default dev.kindlab.lab=verify-ha,dev.kindlab.component=verify');
  });

  it('deletes its pods when interrupted', async () => {
    const api = new ReplayKubeApi({ 'kindlab-verify-dns-rec': [recorded.target[0]!], 'kindlab-verify-probe-0': [...recorded.client] }, '');
    const abort = new AbortController();
    const run = runProbePods(api, { ...options, signal: abort.signal, sleep: async () => abort.abort(new Error('interrupted')) });
    await expect(run).rejects.toThrow('interrupted');
    expect(api.calls.filter((c) => c.startsWith('delete'))).toHaveLength(2);
    expect(api.calls.at(-1)).toMatch(/^delete /);
  });
});
