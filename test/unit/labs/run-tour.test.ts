import { FakeNodeExec } from '../support/fake-node-exec.js';
import { describe, expect, it } from 'vitest';
import type { ClusterContainer } from '../../../src/inspect/docker/cluster-containers.js';
import { describeTopology } from '../../../src/labs/cluster-topology.js';
import { parseTourLab } from '../../../src/labs/load-tour-lab.js';
import { renderTourMarkdown } from '../../../src/labs/render-tour-markdown.js';
import { renderTourSummary } from '../../../src/labs/render-tour-text.js';
import { startTour, type TourEvent } from '../../../src/labs/run-tour.js';
import type { TourContext } from '../../../src/labs/tour-context.js';
import { warmSchemas } from '../support/warm-schemas.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/** Our own model of containers (what DockerodeClusterContainers returns), not a recording of Docker output. */
function container(name: string, role: ClusterContainer['role'], ipv4: string): ClusterContainer {
  return { id: `id-${name}`, name, role, image: 'kindlab/node:v1.34.4', state: 'running', status: 'Up', ipv4, ports: {}, labels: {} };
}

const LAB = `
name: mini
title: Mini <lab>
chapters:
  - id: scale
    title: Cluster scale
    steps:
      - id: where
        title: Where this cluster sits
        narration: Clusters can be scaled in different ways.
        action: { type: scaleTable }
        checks: [{ type: topologyPlaced }]
        topology:
          ha: Several etcd members and a load balancer.
          multi: One control plane, several workers.
          external-etcd: etcd outside the cluster.
  - id: nodes
    title: Nodes
    steps:
      - id: nodes
        title: Nodes
        narration: The API lists the nodes.
        action: { type: listNodes }
        checks: [{ type: nodesReady }]
`;

function contextFor(containers: ClusterContainer[], failure = new Error('connect ECONNREFUSED 127.0.0.1:6443')): TourContext {
  const refuse = (): never => {
    throw failure;
  };
  const kube = new FakeKubeApi();
  kube.listNodes = async () => refuse();
  return {
    topology: describeTopology('demo', containers),
    exec: new FakeNodeExec(refuse),
    kube,
    trees: { nodeTree: refuse },
    namespace: 'default',
    objectLabels: {},
    objectAnnotations: {},
    objectName: (name) => name,
    signal: new AbortController().signal,
    timeouts: { waitMs: 1000, pollMs: 10 },
    podImage: refuse,
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

async function collect(events: AsyncGenerator<TourEvent>): Promise<TourEvent[]> {
  const seen: TourEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

warmSchemas('tour-lab');

describe('startTour', () => {
  it('yields chapter, step-start and step-done in order, with the notes of this topology only', async () => {
    const ha = [
      container('demo-external-load-balancer', 'external-load-balancer', '172.18.0.2'),
      container('demo-external-etcd', 'external-etcd', '172.18.0.9'),
      container('demo-control-plane', 'control-plane', '172.18.0.3'),
      container('demo-control-plane2', 'control-plane', '172.18.0.4'),
      container('demo-control-plane3', 'control-plane', '172.18.0.5'),
      container('demo-worker', 'worker', '172.18.0.6'),
    ];
    const run = startTour(parseTourLab(LAB, 'mini.yaml'), contextFor(ha));
    const events = await collect(run.events);
    expect(events.map((e) => (e.kind === 'step-done' ? `done:${e.record.step.id}` : e.kind))).toEqual([
      'chapter',
      'step-start',
      'done:where',
      'chapter',
      'step-start',
      'done:nodes',
    ]);
    const where = run.record.steps[0]!;
    expect(where.notes).toEqual(['Several etcd members and a load balancer.', 'etcd outside the cluster.']);
    expect(where.passed).toBe(true);
    expect(where.outcome?.views.table?.body).toMatch(/Highly available\s+3\+ \(odd\)\s+1\+\s+<- this cluster/);
    expect(where.outcome?.views.commands?.body).toContain('lab up multi --name demo-2 --workers 2');
    expect(where.outcome?.views.commands?.body).toContain('lab up ha --name demo-2 --etcd stacked');
    expect(run.record.completed).toBe(true);
  });

  it('turns a failing action into failed checks that name the action and the cause, and goes on', async () => {
    const run = startTour(parseTourLab(LAB, 'mini.yaml'), contextFor([container('demo-control-plane', 'control-plane', '172.18.0.3')]));
    await collect(run.events);
    const nodes = run.record.steps[1]!;
    expect(nodes.passed).toBe(false);
    expect(nodes.checks.map((c) => [c.name, c.passed, c.detail])).toEqual([
      ['action listNodes', false, 'connect ECONNREFUSED 127.0.0.1:6443'],
      ['nodesReady', false, 'not evaluated: the action failed'],
    ]);
    expect(renderTourSummary(run.record)).toContain('Tour finished: 1/3 checks passed.\n  FAIL 2.1 nodes action listNodes: connect ECONNREFUSED');
  });

  it('stops between steps when the caller returns early and says so in the handout', async () => {
    const run = startTour(parseTourLab(LAB, 'mini.yaml'), contextFor([container('demo-control-plane', 'control-plane', '172.18.0.3')]));
    for await (const event of run.events) if (event.kind === 'step-done') break;
    expect(run.record.steps.map((s) => s.step.id)).toEqual(['where']);
    expect(run.record.completed).toBe(false);
    const md = renderTourMarkdown(run.record);
    expect(md).toContain('# Mini &lt;lab&gt;: live on `demo`');
    expect(md).toContain('1 of 1 checks passed (the tour was stopped early).');
    expect(md).toMatch(/```text\nTYPE\s+CONTROL PLANES/);
  });

  it('ends the tour instead of recording a failure when interrupted', async () => {
    const abort = new AbortController();
    const ctx = { ...contextFor([container('demo-control-plane', 'control-plane', '172.18.0.3')]), signal: abort.signal };
    abort.abort(new Error('interrupted'));
    const run = startTour(parseTourLab(LAB, 'mini.yaml'), ctx);
    await expect(collect(run.events)).rejects.toThrow('connect ECONNREFUSED');
    expect(run.record.steps.map((s) => s.step.id)).toEqual(['where']);
  });
});
