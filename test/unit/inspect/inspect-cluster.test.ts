import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterContainer, ClusterContainers } from '../../../src/inspect/docker/cluster-containers.js';
import type { NodeExec } from '../../../src/inspect/docker/node-exec.js';
import { inspectCluster } from '../../../src/inspect/inspect-cluster.js';
import type { KubernetesView } from '../../../src/inspect/k8s/kubernetes-view.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { schemaErrors } from '../../../src/common/validate-with-schema.js';
import { loadSnapshot, rawDir } from '../../fixtures/load-fixtures.js';

/**
 * Replays the multi-node recording: the Docker and API answers come from snapshot-multi.json and the
 * exec outputs from raw/multi/, so inspectCluster runs its whole flow without Docker.
 */
const recorded = loadSnapshot('multi');

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

class ReplayExec implements NodeExec {
  readonly calls: Array<{ node: string; argv: readonly string[] }> = [];
  async exec(containerId: string, argv: readonly string[]) {
    const node = recorded.nodes.find((n) => n.container.id === containerId)!.name;
    this.calls.push({ node, argv });
    const what = argv[0] === 'ps' ? 'ps' : argv[0] === 'crictl' ? `crictl-${argv[1] === 'ps' ? 'ps' : argv[1]}` : undefined;
    if (!what) return { exitCode: 1, stdout: '', stderr: `not recorded: ${argv.join(' ')}` };
    const text = readFileSync(join(rawDir('multi'), `${node}.${what}.txt`), 'utf8');
    return { exitCode: 0, stdout: text.slice(text.indexOf('\n') + 1), stderr: '' };
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
    expect(schemaErrors(JSON.parse(JSON.stringify(snapshot)), 'snapshot-v1')).toEqual([]);
  });

  it('needs a cluster name when several clusters exist', async () => {
    const containers = new ReplayContainers();
    containers.listClusters = async () => ['a', 'b'];
    await expect(inspectCluster({ containers, exec: new ReplayExec(), kubernetesView: () => replayView })).rejects.toThrow(/several clusters exist \(a, b\)/);
  });
});

