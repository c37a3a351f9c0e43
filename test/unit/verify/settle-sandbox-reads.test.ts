import { describe, expect, it } from 'vitest';
import type { NodeSnapshot, Snapshot } from '../../../src/inspect/snapshot.js';
import { sandboxChecks } from '../../../src/verify/checks/sandbox-checks.js';
import { sandboxDisagreements } from '../../../src/verify/checks/sandbox-disagreements.js';
import type { ClusterEvidence } from '../../../src/verify/cluster-evidence.js';
import { settleSandboxReads } from '../../../src/verify/settle-sandbox-reads.js';
import { joinRawNode } from '../../fixtures/join-raw-node.js';
import { loadRawNodes, TOPOLOGIES, type RawNode } from '../../fixtures/load-fixtures.js';

/** A running node whose processes and containerd view are a recording's (the node's name stays the same across reads). */
function nodeOf(raw: RawNode, name = 'lab-control-plane'): NodeSnapshot {
  const { processes, view } = joinRawNode(raw);
  return {
    name,
    role: 'control-plane',
    container: { id: 'c0ffee', image: 'kindlab/node:v1.34.4', state: 'running', status: 'Up', ports: {}, labels: {} },
    processes,
    containerd: view,
  };
}

function snapshotOf(node: NodeSnapshot): Snapshot {
  return {
    schemaVersion: 'kindlab.dev/snapshot/v1',
    cluster: 'lab',
    capturedAt: new Date(0).toISOString(),
    nodes: [node],
    kubernetes: { nodes: [], pods: [] },
    warnings: [],
  } as unknown as Snapshot;
}

const evidenceOf = (snapshot: Snapshot, sandboxReads?: ClusterEvidence['sandboxReads']): ClusterEvidence =>
  ({ snapshot, kubeletConnections: {}, kubeletLogs: {}, ...(sandboxReads ? { sandboxReads } : {}) }) as ClusterEvidence;

const [missingPause] = loadRawNodes('single-churn-missing-pause');
const [twoPauses] = loadRawNodes('single-churn');
const [settled] = loadRawNodes('single');
const fast = { timeoutMs: 300, intervalMs: 10 };

describe('sandboxDisagreements on recorded nodes', () => {
  it.each(
    TOPOLOGIES.flatMap((t) => loadRawNodes(t))
      .filter((n) => n.hasContainerd)
      .map((n) => [n.node, n] as const),
  )('%s: none', (_node, raw) => {
    expect(sandboxDisagreements(nodeOf(raw)).problems).toEqual([]);
  });

  it('none while a pod runs the pause image as its app container (single-churn)', () => {
    expect(sandboxDisagreements(nodeOf(twoPauses!)).problems).toEqual([]);
  });

  it('a ready sandbox whose pause started after ps: 0 pause processes (single-churn-missing-pause, the fault CI hit)', () => {
    const { problems } = sandboxDisagreements(nodeOf(missingPause!));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^sandbox \w+ of pod default\/race-app-\S+: 0 pause processes$/);
  });
});

describe('settleSandboxReads', () => {
  it('reads a node caught mid-change again, and the check passes on the read that agrees', async () => {
    const node = nodeOf(missingPause!);
    const snapshot = snapshotOf(node);
    const rereads: string[] = [];
    const reads = await settleSandboxReads(
      snapshot,
      async (n) => {
        rereads.push(n.name);
        const fresh = nodeOf(settled!);
        return { processes: fresh.processes, containerd: fresh.containerd! };
      },
      fast,
    );
    expect(rereads).toEqual(['lab-control-plane']);
    expect(reads['lab-control-plane']?.count).toBe(2);
    const [check] = sandboxChecks(evidenceOf(snapshot, reads));
    expect(check!.status, check!.evidence.join('\n')).toBe('pass');
    expect(check!.evidence).toContainEqual(
      expect.stringMatching(
        /^read 2 times over [\d.]+ s: the first read caught a sandbox mid-change \(sandbox \w+ of pod default\/race-app-\S+: 0 pause processes\)$/,
      ),
    );
  });

  it('does not read again a node that agrees', async () => {
    const snapshot = snapshotOf(nodeOf(twoPauses!));
    const reads = await settleSandboxReads(snapshot, () => Promise.reject(new Error('read again')), fast);
    expect(reads).toEqual({});
  });

  it('a disagreement that lasts is a failure, checked on the last read, saying how often it was read', async () => {
    const snapshot = snapshotOf(nodeOf(missingPause!));
    let count = 0;
    const reads = await settleSandboxReads(
      snapshot,
      async () => {
        count += 1;
        const fresh = nodeOf(missingPause!);
        return { processes: fresh.processes, containerd: fresh.containerd! };
      },
      fast,
    );
    expect(count).toBeGreaterThan(2);
    expect(reads['lab-control-plane']?.count).toBe(count + 1);
    const [check] = sandboxChecks(evidenceOf(snapshot, reads));
    expect(check!.status).toBe('fail');
    expect(check!.summary).toMatch(/^pause and sandboxes disagree on lab-control-plane: sandbox \w+ of pod default\/race-app-\S+: 0 pause processes/);
    expect(check!.evidence).toContainEqual(expect.stringMatching(new RegExp(`^read ${count + 1} times over [\\d.]+ s: the disagreement lasted$`)));
  });

  it('a read that fails is retried, and the first read stands when none succeeds', async () => {
    const node = nodeOf(missingPause!);
    const before = node.processes;
    const snapshot = snapshotOf(node);
    const reads = await settleSandboxReads(snapshot, () => Promise.reject(new Error('docker exec failed')), fast);
    expect(reads['lab-control-plane']?.count).toBe(1);
    expect(snapshot.nodes[0]!.processes).toBe(before);
  });
});
