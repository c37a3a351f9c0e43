import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/labs/action-outcome.js';
import { evaluateCheck } from '../../../src/labs/evaluate-check.js';

const toApi = (process: string, peerRole = 'api-server on demo-control-plane'): Connection => ({
  node: 'demo-control-plane',
  process,
  local: '172.18.0.3:40000',
  peer: '172.18.0.3:6443',
  peerRole,
});

describe('evaluateCheck', () => {
  it('counts a single node without taint as both control plane and worker', () => {
    const facts = { type: 'listNodes' as const, nodes: [{ name: 'one', ready: true, controlPlane: true, runsWorkloads: true }] };
    expect(evaluateCheck({ type: 'roleCount', role: 'worker', min: 1 }, facts).passed).toBe(true);
    expect(evaluateCheck({ type: 'roleCount', role: 'control-plane', min: 1 }, facts).passed).toBe(true);
    const tainted = { type: 'listNodes' as const, nodes: [{ name: 'one', ready: true, controlPlane: true, runsWorkloads: false }] };
    expect(evaluateCheck({ type: 'roleCount', role: 'worker', min: 1 }, tainted)).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/0 node\(s\) in role worker/),
    });
  });

  it('names the not-Ready nodes', () => {
    const facts = {
      type: 'listNodes' as const,
      nodes: [
        { name: 'a', ready: true, controlPlane: true, runsWorkloads: false },
        { name: 'b', ready: false, controlPlane: false, runsWorkloads: true },
      ],
    };
    expect(evaluateCheck({ type: 'nodesReady' }, facts)).toMatchObject({ passed: false, detail: 'not Ready: b' });
  });

  it('accepts any CNI daemon for the role cni and names what is missing', () => {
    const facts = { type: 'showProcessTree' as const, node: 'w', components: ['containerd', 'kubelet', 'kindnetd', 'shim', 'pause'] };
    expect(evaluateCheck({ type: 'processRoles', roles: ['cni', 'kubelet'] }, facts).passed).toBe(true);
    const result = evaluateCheck({ type: 'processRoles', roles: ['kube-proxy', 'kubelet'] }, facts);
    expect(result.passed).toBe(false);
    expect(result.detail).toMatch(/w has no kube-proxy/);
  });

  it('fails talksOnlyToApiServer on any other peer, and on a component with no connection', () => {
    const wiring = [
      { node: 'cp', component: 'kube-scheduler', flags: [], outbound: [toApi('kube-scheduler')] },
      {
        node: 'cp',
        component: 'kube-controller-manager',
        flags: [],
        outbound: [toApi('kube-controller-manager'), toApi('kube-controller-manager', 'etcd on cp')],
      },
    ];
    const facts = { type: 'controlPlaneWiring' as const, wiring, etcdServers: ['https://127.0.0.1:2379'], apiServerToEtcd: [] };
    expect(evaluateCheck({ type: 'talksOnlyToApiServer', components: ['kube-scheduler'] }, facts).passed).toBe(true);
    const bad = evaluateCheck({ type: 'talksOnlyToApiServer', components: ['kube-scheduler', 'kube-controller-manager'] }, facts);
    expect(bad.passed).toBe(false);
    expect(bad.detail).toMatch(/kube-controller-manager on cp also talks to 172\.18\.0\.3:6443 \(etcd on cp\)/);
    const idle = { ...facts, wiring: [{ node: 'cp', component: 'kube-scheduler', flags: [], outbound: [] }] };
    expect(evaluateCheck({ type: 'talksOnlyToApiServer', components: ['kube-scheduler'] }, idle).detail).toMatch(/holds no connection/);
    expect(evaluateCheck({ type: 'apiServerUsesEtcd' }, facts).passed).toBe(false);
  });

  it('finds an event by reason and reporting component', () => {
    const events = [{ object: 'pod/p', reason: 'Scheduled', component: 'default-scheduler', message: 'Successfully assigned default/p to w' }];
    const facts = { type: 'createPod' as const, created: ['default/p'], node: 'w', events };
    expect(evaluateCheck({ type: 'eventSeen', reason: 'Scheduled', component: 'default-scheduler' }, facts).passed).toBe(true);
    const missing = evaluateCheck({ type: 'eventSeen', reason: 'Scheduled', component: 'kubelet' }, facts);
    expect(missing).toMatchObject({ passed: false, detail: 'no Scheduled event from kubelet (saw: default-scheduler/Scheduled)' });
  });

  it('requires every kubelet to hold an api-server connection', () => {
    const facts = {
      type: 'kubeletConnections' as const,
      nodes: [
        { node: 'w1', connections: [toApi('kubelet', 'api-server via load balancer lb')] },
        { node: 'w2', connections: [toApi('kube-proxy')] },
      ],
    };
    expect(evaluateCheck({ type: 'kubeletConnected' }, facts)).toMatchObject({ passed: false, detail: 'no api-server connection from the kubelet on w2' });
  });

  it('reports a check that does not match the facts instead of guessing', () => {
    expect(evaluateCheck({ type: 'podReplaced' }, { type: 'scaleTable', row: 'Single node' })).toMatchObject({ passed: false });
  });
});
