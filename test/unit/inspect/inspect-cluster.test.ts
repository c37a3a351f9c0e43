import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterContainer, ClusterContainers } from '../../../src/inspect/docker/cluster-containers.js';
import { inspectCluster } from '../../../src/inspect/inspect-cluster.js';
import type { KubernetesView } from '../../../src/inspect/k8s/kubernetes-view.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { validateJsonSchema, type JsonSchema } from '../../../src/topology/validate-json-schema.js';
import { loadSnapshot, rawDir } from '../../fixtures/load-fixtures.js';
import { FakeNodeExec } from '../support/fake-node-exec.js';

/**
 * Replays the multi-node recording: the Docker and API answers come from snapshot-multi.json and the
 * exec outputs from raw/multi/, so inspectCluster runs its whole flow without Docker.
 */
const recorded = loadSnapshot('multi');
const schema = JSON.parse(readFileSync(new URL('../../../src/inspect/snapshot-v1.schema.json', import.meta.url), 'utf8')) as JsonSchema & Record<string, unknown>;

class ReplayContainers implements ClusterContainers {
  async listClusters() {
    return [recorded.cluster];
  }
  async listContainers(cluster: string): Promise<ClusterContainer[]> {
    return cluster === recorded.cluster ? recorded.nodes.map((n) => ({ name: n.name, role: n.role, ...n.container })) : [];
  }
  async stats(id: string) {
    return recorded.nodes.find((n) => n.container.id === id)!.stats!;
  }
}

/** Answers ps and crictl with the outputs recorded from the real multi-node cluster (test/fixtures/raw/multi). */
class ReplayExec extends FakeNodeExec {
  constructor() {
    super((node, argv) => {
      const what = argv[0] === 'ps' ? 'ps' : argv[0] === 'crictl' ? `crictl-${argv[1] === 'ps' ? 'ps' : argv[1]}` : undefined;
      if (!what) return { exitCode: 1, stdout: '', stderr: `not recorded: ${argv.join(' ')}` };
      const text = readFileSync(join(rawDir('multi'), `${node}.${what}.txt`), 'utf8');
      return { exitCode: 0, stdout: text.slice(text.indexOf('\n') + 1), stderr: '' };
    });
  }
}

const replayView: KubernetesView = {
  listNodes: async () => recorded.kubernetes.nodes,
  listPods: async () => recorded.kubernetes.pods,
};

describe('inspectCluster replaying a recorded multi-node cluster', () => {
  it('rebuilds the recorded snapshot from the raw outputs', async () => {
    const exec = new ReplayExec();
    const snapshot = await inspectCluster(
      { containers: new ReplayContainers(), exec, kubernetesView: () => replayView, now: () => new Date(recorded.capturedAt) },
      { kubeconfigText: 'unused' },
    );
    const strip = (s: Snapshot) => ({ ...s, recordedWith: undefined, warnings: [] });
    expect(strip(snapshot)).toEqual(strip(recorded));
    // Exactly the argv the adapters are expected to run: ps and crictl, no shell.
    expect(new Set(exec.calls.map((c) => c.argv.slice(0, 2).join(' ')))).toEqual(
      new Set(['ps -ww', 'crictl pods', 'crictl ps', 'crictl inspectp', 'crictl inspect']),
    );
    expect(validateJsonSchema(snapshot, withoutMeta(schema))).toEqual([]);
  });

  it('needs a cluster name when several clusters exist', async () => {
    const containers = new ReplayContainers();
    containers.listClusters = async () => ['a', 'b'];
    await expect(inspectCluster({ containers, exec: new ReplayExec(), kubernetesView: () => replayView })).rejects.toThrow(/several clusters exist \(a, b\)/);
  });
});

export function withoutMeta(s: Record<string, unknown>): JsonSchema {
  const { $schema: _s, $id: _i, title: _t, ...rest } = s;
  return rest as JsonSchema;
}
