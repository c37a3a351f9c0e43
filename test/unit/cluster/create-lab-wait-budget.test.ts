import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLabSteps, type CreateLabContext, type CreateLabStep } from '../../../src/cluster/create-lab-steps.js';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import type { KubeApi } from '../../../src/kube/kube-api.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';

const T0 = new Date('2026-11-30T08:00:00Z').getTime();
const node: V1Node = {
  metadata: { name: 'demo-control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' } },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};
/** kind's CoreDNS before its readiness probe passes: Running, not Ready. */
function coredns(ready: boolean): V1Pod {
  return {
    metadata: { name: 'coredns-66bc5c9577-7xq2k', namespace: 'kube-system' },
    spec: { nodeName: 'demo-control-plane', containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

/** The two calls the wait steps make; the rest of the API is never reached. */
interface WaitApi {
  listNodes(): Promise<V1Node[]>;
  listKubeSystemPods(): Promise<V1Pod[]>;
}

/** Only Date is faked: the API calls below move the clock as a slow API would; the wait's own sleeps stay real (1 s). */
function contextWith(api: WaitApi): CreateLabContext {
  const spec = buildTopologySpec({ kind: 'single', name: 'demo', kubeconfig: '/tmp/kubeconfig', wait: '60s' });
  const kube = { listNodes: () => api.listNodes(), list: () => api.listKubeSystemPods() } as unknown as KubeApi;
  return { spec, deps: {} as LabDeps, kubeconfigPath: '/tmp/kubeconfig', createdAt: '', runId: 'r1', kube, created: new Set(), notes: [] };
}

function step(id: string): CreateLabStep {
  return createLabSteps().find((s) => s.id === id)!;
}

const io = { signal: new AbortController().signal, output: () => undefined };

describe('lab up --wait: one budget for both wait steps', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the pods wait only what the nodes wait left of --wait', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    let podChecks = 0;
    const ctx = contextWith({
      // The nodes turn Ready after 50 s of the 60 s budget.
      listNodes: async () => {
        vi.setSystemTime(Date.now() + 50_000);
        return [node];
      },
      // Each look at kube-system takes 4 s; CoreDNS never turns Ready.
      listKubeSystemPods: async () => {
        podChecks++;
        vi.setSystemTime(Date.now() + 4_000);
        return [coredns(false)];
      },
    });
    await step('nodes-ready').run(ctx, io);
    expect(ctx.waitDeadline).toBe(T0 + 60_000);

    const error = await step('pods-running')
      .run(ctx, io)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      message:
        'failed to wait for kube-system pods Running and Ready within the --wait budget of 60s: 0/1 Running and Ready (waiting: coredns-66bc5c9577-7xq2k)',
      hint: expect.stringContaining('one budget'),
    });
    // Looks at 50, 54 and 58 s; a pods wait with a budget of its own would have gone on to 110 s.
    expect(podChecks).toBe(3);
    expect(ctx.waitDeadline).toBe(T0 + 60_000);
  });

  it('waits for kube-system pods Ready, not just Running', async () => {
    let ready = false;
    const ctx = contextWith({
      listNodes: async () => [node],
      listKubeSystemPods: async () => {
        const pods = [coredns(ready)];
        ready = true;
        return pods;
      },
    });
    const lines: string[] = [];
    await step('pods-running').run(ctx, { ...io, output: (line) => lines.push(line) });
    expect(lines).toEqual(['0/1 Running and Ready (waiting: coredns-66bc5c9577-7xq2k)', '1/1 Running and Ready']);
  });
});
