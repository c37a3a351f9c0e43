import { describe, expect, it } from 'vitest';
import { deleteLab } from '../../../src/cluster/delete-lab.js';
import { FakeDocker, fakeKind } from '../support/fake-docker.js';

describe('deleteLab', () => {
  it('removes kind nodes (via kind, with the recorded kubeconfig), external etcd and the metadata volume; other labs stay', async () => {
    const docker = new FakeDocker();
    docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo' });
    docker.addContainer('demo-external-etcd', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'etcd' });
    docker.addContainer('other-control-plane', { 'io.x-k8s.kind.cluster': 'other' });
    docker.volumes.push({
      name: 'demo-kindlab',
      labels: { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'metadata', 'dev.kindlab.kubeconfig': '/tmp/kc' },
      createdAt: '',
    });
    const calls: Array<[string, string | undefined]> = [];
    const result = await deleteLab({ docker, kind: fakeKind(docker, calls) }, 'demo');
    expect(calls).toEqual([['demo', '/tmp/kc']]);
    expect(result).toMatchObject({ found: true, containers: ['demo-control-plane', 'demo-external-etcd'], volumes: ['demo-kindlab'], kubeconfig: '/tmp/kc' });
    expect(docker.containers.map((c) => c.name)).toEqual(['other-control-plane']);
    expect(docker.volumes).toEqual([]);
  });

  it('is idempotent: a lab that does not exist is not an error', async () => {
    const docker = new FakeDocker();
    const calls: Array<[string, string | undefined]> = [];
    expect(await deleteLab({ docker, kind: fakeKind(docker, calls) }, 'ghost')).toMatchObject({ found: false, containers: [], volumes: [] });
    expect(calls).toEqual([]);
  });

  it('still removes containers by label when kind is missing', async () => {
    const docker = new FakeDocker();
    docker.addContainer('demo-worker', { 'io.x-k8s.kind.cluster': 'demo' });
    await deleteLab({ docker, kind: undefined }, 'demo');
    expect(docker.containers).toEqual([]);
  });

  it('sweeps by label when kind delete fails, then reports the kind failure', async () => {
    const docker = new FakeDocker();
    docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo' });
    docker.addContainer('demo-external-etcd', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'etcd' });
    docker.volumes.push({ name: 'demo-kindlab', labels: { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'metadata' }, createdAt: '' });
    const kind = {
      ...fakeKind(docker, []),
      deleteCluster: async () => {
        throw new Error('kind exploded');
      },
    };
    await expect(deleteLab({ docker, kind }, 'demo')).rejects.toThrow(/failed to delete kind cluster demo/);
    expect(docker.containers).toEqual([]);
    expect(docker.volumes).toEqual([]);
  });
});
