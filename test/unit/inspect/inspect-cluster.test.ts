import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ClusterContainer, ClusterContainers } from '../../../src/inspect/docker/cluster-containers.js';
import { inspectCluster } from '../../../src/inspect/inspect-cluster.js';
import { CGROUP_V1_STATS_ARGV } from '../../../src/inspect/parse-cgroup-stats.js';
import { CONTAINERD_TASKS_ARGV, CRICTL_INSPECT_CONTAINERS_ARGV, CRICTL_INSPECT_SANDBOXES_ARGV } from '../../../src/inspect/read-node-processes.js';
import type { KubeNodeRecord, KubePodRecord, Snapshot } from '../../../src/inspect/snapshot.js';
import { schemaErrors } from '../../../src/common/validate-with-schema.js';
import { loadSnapshot, rawDir } from '../../fixtures/load-fixtures.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { replayRawExec } from '../support/replay-raw-exec.js';

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
    // With a host pid as Docker lists it: the recorded snapshot (compared below) shows it stays out of the snapshot.
    return cluster === recorded.cluster ? recorded.nodes.map((n, i) => ({ name: n.name, role: n.role, ...n.container, hostPid: 30000 + i })) : [];
  }
  async stats(id: string) {
    return recorded.nodes.find((n) => n.container.id === id)!.stats!;
  }
}

/**
 * Answers ps and crictl with the outputs recorded from the real multi-node cluster (test/fixtures/raw/multi).
 * The recording predates the task directory read, so it replays the nodes as ones without it (crictl's path).
 */
const replayExec = () => replayRawExec(rawDir('multi'));

/*
 * The recording kept the API's answers as the snapshot's records; these put back the fields of the
 * API objects that toNodeRecord/toPodRecord read, so the fake API serves the recorded cluster.
 */
function asNode(n: KubeNodeRecord): V1Node {
  return {
    metadata: { name: n.name, creationTimestamp: new Date(n.createdAt), labels: Object.fromEntries(n.roles.map((r) => [`node-role.kubernetes.io/${r}`, ''])) },
    spec: { unschedulable: n.unschedulable },
    status: {
      conditions: n.conditions,
      addresses: n.addresses,
      nodeInfo: {
        kubeletVersion: n.kubeletVersion,
        containerRuntimeVersion: n.containerRuntimeVersion,
        osImage: n.osImage,
        kernelVersion: n.kernelVersion,
      } as never,
    },
  };
}

function asPod(p: KubePodRecord): V1Pod {
  const state = (c: KubePodRecord['containers'][number]) => (c.state === 'unknown' ? undefined : { [c.state]: {} });
  return {
    metadata: {
      namespace: p.namespace,
      name: p.name,
      uid: p.uid,
      creationTimestamp: new Date(p.createdAt),
      labels: p.labels,
      annotations: p.annotations,
      ...(p.ownerKind ? { ownerReferences: [{ kind: p.ownerKind, controller: true, apiVersion: 'v1', name: '', uid: '' }] } : {}),
    },
    spec: { ...(p.nodeName ? { nodeName: p.nodeName } : {}), containers: p.containers.map((c) => ({ name: c.name, image: c.image })) },
    status: {
      phase: p.phase,
      containerStatuses: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: c.ready,
        restartCount: c.restartCount,
        state: state(c),
        ...(c.containerId ? { containerID: `containerd://${c.containerId}` } : {}),
      })),
    },
  };
}

const replayApi = () =>
  recorded.kubernetes.pods.reduce((api, p) => api.add('pod', p.namespace, asPod(p)), new FakeKubeApi({ nodes: recorded.kubernetes.nodes.map(asNode) }));

describe('inspectCluster replaying a recorded multi-node cluster', () => {
  it('rebuilds the recorded snapshot from the raw outputs', async () => {
    const exec = replayExec();
    const snapshot = await inspectCluster(
      { containers: new ReplayContainers(), exec, kube: () => replayApi(), now: () => new Date(recorded.capturedAt) },
      { kubeconfigText: 'unused' },
    );
    const strip = (s: Snapshot) => ({ ...s, recordedWith: undefined, warnings: [] });
    expect(strip(snapshot)).toEqual(strip(recorded));
    // Exactly the argv the adapters are expected to run: ps, the cgroup counters, the task directory, then (none recorded) crictl, and crictl's inspects under the fixed scripts that hand them the ids.
    const cat = `cat ${CGROUP_V1_STATS_ARGV[1]}`;
    const [tasks, ...inspects] = [CONTAINERD_TASKS_ARGV, CRICTL_INSPECT_SANDBOXES_ARGV, CRICTL_INSPECT_CONTAINERS_ARGV].map((argv) => argv.join(' '));
    const named = (argv: readonly string[]) => (argv[0] === 'sh' ? argv.join(' ') : argv.slice(0, 2).join(' '));
    expect(new Set(exec.calls.map((c) => named(c.argv)))).toEqual(new Set(['ps -ww', cat, tasks, 'crictl pods', 'crictl ps', ...inspects]));
    // One batch per Kubernetes node (one exec over Docker) for everything read inside it; crictl in a second one, as the task directory was not there.
    const batchesOf = (node: string) => exec.batches.filter((b) => b.node === node).map((b) => b.argvs.map(named));
    for (const node of recorded.nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker')) {
      expect(batchesOf(node.name)).toEqual([
        ['ps -ww', cat, tasks],
        ['crictl pods', 'crictl ps', ...inspects],
      ]);
    }
    expect(schemaErrors(JSON.parse(JSON.stringify(snapshot)), 'snapshot-v1')).toEqual([]);
  });

  it('needs a lab name when several labs exist, and says how to give one to inspect', async () => {
    const containers = new ReplayContainers();
    containers.listClusters = async () => ['a', 'b'];
    await expect(inspectCluster({ containers, exec: replayExec(), kube: () => replayApi() })).rejects.toMatchObject({
      message: 'several labs exist (a, b); name one',
      hint: 'for example: lab inspect a',
    });
  });
});
