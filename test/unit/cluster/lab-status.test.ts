import { readFileSync } from 'node:fs';
import type { V1NodeList } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { getLabStatus, listLabNames } from '../../../src/cluster/lab-status.js';
import { listLabStatuses } from '../../../src/cluster/list-lab-statuses.js';
import { readLabObjects } from '../../../src/cluster/read-lab-objects.js';
import { metadataLabels } from '../../../src/cluster/lab-metadata.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeDocker } from '../support/fake-docker.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';

/** A kubeconfig kind wrote for a real lab (credentials redacted): what admin.conf holds, with kind's names. */
const KUBECONFIG = readFileSync(new URL('../../fixtures/kube-api/pool-lab-kubeconfig.yaml', import.meta.url), 'utf8');

function depsWith(docker: FakeDocker, apiDown = false, kubeconfigs: string[] = []): LabDeps {
  docker.execAnswer = (_container, command) =>
    // Under the in-node timeout DockerNodeExec adds.
    command.join(' ') === 'timeout --kill-after=2 32 cat /etc/kubernetes/admin.conf' ? { stdout: KUBECONFIG } : { exitCode: 1 };
  return {
    runner: new FakeRunner(),
    docker,
    kind: async () => Promise.reject(new Error('lab status must not need kind')),
    kube: (kubeconfig) => {
      kubeconfigs.push(kubeconfig);
      // The recorded Ready node of a real lab, as the control plane and as a worker of demo.
      const [node] = (JSON.parse(readFileSync(new URL('../../fixtures/kube-api/single-nodes.json', import.meta.url), 'utf8')) as V1NodeList).items;
      const api = new FakeKubeApi({
        nodes: [
          { ...node!, metadata: { ...node!.metadata, name: 'demo-control-plane' } },
          { ...node!, metadata: { ...node!.metadata, name: 'demo-worker', labels: { 'kubernetes.io/hostname': 'demo-worker' } } },
        ],
      });
      if (apiDown) api.listNodes = async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:41234'));
      return api;
    },
    now: () => new Date('2026-11-26T12:10:00Z'),
  };
}

function demoLab(docker: FakeDocker): void {
  const spec = buildTopologySpec({ kind: 'multi', name: 'demo', workers: 1, etcd: 'external' });
  docker.volumes.push({
    name: 'demo-kindlab',
    labels: metadataLabels(spec, { createdAt: '2026-11-26T12:00:00Z', kubeconfig: '/k', nodeImage: 'kindlab/node:v1.34.4' }),
    createdAt: '',
  });
  docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo', 'io.x-k8s.kind.role': 'control-plane' });
  // Published as kind publishes a control plane's API (hq-ha-control-plane in test/fixtures/docker/inspect-hq-ha.json).
  docker.containers.at(-1)!.ports = { '6443/tcp': '127.0.0.1:39963' };
  docker.addContainer('demo-worker', { 'io.x-k8s.kind.cluster': 'demo', 'io.x-k8s.kind.role': 'worker' });
  docker.addContainer('demo-external-etcd', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'etcd' });
}

describe('lab status from labels + API', () => {
  it('lists kindlab labs and plain kind clusters separately', async () => {
    const docker = new FakeDocker();
    demoLab(docker);
    docker.addContainer('plain-control-plane', { 'io.x-k8s.kind.cluster': 'plain', 'io.x-k8s.kind.role': 'control-plane' });
    expect(await listLabNames({ docker })).toEqual({ managed: ['demo'], kindOnly: ['plain'] });
  });

  it('combines the metadata volume, the containers and the nodes', async () => {
    const docker = new FakeDocker();
    demoLab(docker);
    const kubeconfigs: string[] = [];
    const status = await getLabStatus(depsWith(docker, false, kubeconfigs), 'demo');
    // The API is reached with the control plane's admin.conf, pointed at the port Docker publishes it on.
    expect(kubeconfigs).toHaveLength(1);
    expect(kubeconfigs[0]).toContain('"server": "https://127.0.0.1:39963"');
    expect(kubeconfigs[0]).toContain('"client-key-data": "REDACTED"');
    expect(status).toMatchObject({
      name: 'demo',
      managed: true,
      topology: 'multi',
      etcd: 'external',
      state: 'running',
      context: 'kind-demo',
      kubeconfig: '/k',
      expectedNodes: 2,
      externalEtcd: { container: 'demo-external-etcd', endpoint: 'https://demo-external-etcd:2379', state: 'running' },
    });
    expect(status?.containers.map((c) => [c.name, c.role])).toEqual([
      ['demo-control-plane', 'control-plane'],
      ['demo-external-etcd', 'etcd'],
      ['demo-worker', 'worker'],
    ]);
  });

  it('lists nothing itself when given the objects already read, and shows the same', async () => {
    const docker = new FakeDocker();
    demoLab(docker);
    const read = await getLabStatus(depsWith(docker), 'demo');
    const objects = await readLabObjects(docker);
    docker.listAllContainers = () => Promise.reject(new Error('listed again'));
    docker.listVolumes = () => Promise.reject(new Error('listed again'));
    expect(await getLabStatus(depsWith(docker), 'demo', { objects })).toEqual(read);
    expect(await listLabStatuses(depsWith(docker), objects)).toEqual([read]);
  });

  it('is degraded, with the reason, when the API does not answer', async () => {
    const docker = new FakeDocker();
    demoLab(docker);
    const status = await getLabStatus(depsWith(docker, true), 'demo');
    expect(status).toMatchObject({ state: 'degraded', nodes: [], apiError: 'connect ECONNREFUSED 127.0.0.1:41234' });
  });

  it('is undefined for a lab that does not exist', async () => {
    expect(await getLabStatus(depsWith(new FakeDocker()), 'ghost')).toBeUndefined();
  });
});

describe('getLabStatus with the name claim', () => {
  it('does not count the never-started claim container as part of the running lab, but lists a lab that only has a claim', async () => {
    const docker = new FakeDocker();
    demoLab(docker);
    docker.addContainer('demo-kindlab-claim', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'abcd1234', 'dev.kindlab.component': 'claim' }, 'created');
    const status = await getLabStatus(depsWith(docker), 'demo');
    expect(status?.state).toBe('running');
    expect(status?.containers.map((c) => c.name)).not.toContain('demo-kindlab-claim');

    const orphan = new FakeDocker();
    orphan.addContainer('gone-kindlab-claim', { 'dev.kindlab.lab': 'gone', 'dev.kindlab.run': 'abcd1234', 'dev.kindlab.component': 'claim' }, 'created');
    expect((await listLabNames(depsWith(orphan))).managed).toEqual(['gone']);
    expect(await getLabStatus(depsWith(orphan), 'gone')).toMatchObject({ name: 'gone', state: 'incomplete', containers: [] });
  });
});
