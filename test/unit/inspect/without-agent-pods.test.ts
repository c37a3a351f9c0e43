import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinProcesses } from '../../../src/inspect/join-processes.js';
import { readNodeProcesses } from '../../../src/inspect/read-node-processes.js';
import type { NodeSnapshot, Snapshot } from '../../../src/inspect/snapshot.js';
import { withoutAgentPods } from '../../../src/inspect/without-agent-pods.js';
import { replayRawExec } from '../support/replay-raw-exec.js';

/*
 * Recorded from a real multi lab through the API path, Docker unreachable:
 *   DOCKER_HOST=unix:///nonexistent.sock lab inspect --kubeconfig <lab's kubeconfig> \
 *     --raw-dir test/fixtures/raw/api-multi --out test/fixtures/api-path/snapshot-api-multi.json
 * The raw ps outputs hold the agents (run 5bd7adfd): their shim, `sleep 600` and the sh/timeout/ps
 * they ran; the snapshot is what the same run kept after leaving them out.
 */
const RAW = join(import.meta.dirname, '../../fixtures/raw/api-multi');
const recorded = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/api-path/snapshot-api-multi.json'), 'utf8')) as Snapshot;
const AGENTS = [0, 1, 2].map((i) => ({ namespace: 'kube-system', name: `kindlab-agent-5bd7adfd-${i}` }));

const replay = replayRawExec(RAW);

async function unfiltered(name: string): Promise<NodeSnapshot> {
  const view = await readNodeProcesses(replay, { name }, { withContainerd: true });
  const node = recorded.nodes.find((n) => n.name === name)!;
  return { ...node, processes: joinProcesses(view.processes, view.containerd), containerd: view.containerd! };
}

describe('withoutAgentPods', () => {
  it('leaves out the agents and everything they ran, and keeps the rest of each node as the real run did', async () => {
    const nodes = await Promise.all(recorded.nodes.map((n) => unfiltered(n.name)));
    const before = nodes.map((n) => n.processes.length);
    expect(nodes.flatMap((n) => n.processes).filter((p) => p.args === 'sleep 600')).toHaveLength(3);

    withoutAgentPods(nodes, { nodes: [], pods: [] }, AGENTS);

    nodes.forEach((node, i) => {
      const kept = recorded.nodes[i]!;
      expect(
        node.processes.map((p) => [p.pid, p.ppid]),
        node.name,
      ).toEqual(kept.processes.map((p) => [p.pid, p.ppid]));
      expect(
        node.containerd?.sandboxes.map((s) => s.id),
        node.name,
      ).toEqual(kept.containerd?.sandboxes.map((s) => s.id));
      // A shim, a pause, `sleep 600` and at least timeout, sh and ps under the shim.
      expect(before[i]! - node.processes.length, node.name).toBeGreaterThanOrEqual(6);
      expect(node.processes.filter((p) => /sleep 600|kindlab-section-|^pause$/.test(p.args) && p.identity.pod?.name.startsWith('kindlab-agent-'))).toEqual([]);
    });
  });

  it('also leaves out agent pods of other runs, known from their label in the API', async () => {
    const nodes = await Promise.all(recorded.nodes.map((n) => unfiltered(n.name)));
    const kubernetes = {
      nodes: [],
      pods: AGENTS.map((a) => ({
        ...a,
        uid: a.name,
        phase: 'Running',
        static: false,
        createdAt: '',
        labels: { 'dev.kindlab.component': 'node-agent' },
        annotations: {},
        containers: [],
      })),
    };
    withoutAgentPods(nodes, kubernetes, []);
    expect(kubernetes.pods).toEqual([]);
    expect(nodes.map((n) => n.processes.length)).toEqual(recorded.nodes.map((n) => n.processes.length));
  });

  it('changes nothing when no agent ran', async () => {
    const node = await unfiltered('ha-dev-worker');
    const copy = structuredClone(node);
    withoutAgentPods([node], { nodes: [], pods: [] }, []);
    expect(node).toEqual(copy);
  });
});
