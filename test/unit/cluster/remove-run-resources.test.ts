import { describe, expect, it } from 'vitest';
import { removeRunResources } from '../../../src/cluster/remove-run-resources.js';
import { runScopedDocker } from '../../../src/cluster/run-scoped-docker.js';
import { FakeDocker } from '../support/fake-docker.js';

describe('removeRunResources', () => {
  it('removes containers, volumes and networks with this run id and nothing of the same lab name from another run', async () => {
    const docker = new FakeDocker();
    docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo', 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'aaaa1111' });
    docker.addContainer('demo-kindlab-claim', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'aaaa1111', 'dev.kindlab.component': 'claim' }, 'created');
    // The same lab name, created by another run (or a plain kind without any run id): stays.
    docker.addContainer('demo-worker', { 'io.x-k8s.kind.cluster': 'demo', 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'bbbb2222' });
    docker.addContainer('demo-worker2', { 'io.x-k8s.kind.cluster': 'demo' });
    docker.volumes.push(
      { name: 'demo-kindlab', labels: { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'aaaa1111' }, createdAt: '' },
      { name: 'demo-etcd-data', labels: { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'bbbb2222' }, createdAt: '' },
    );
    docker.networks.push({ id: 'net-x', name: 'demo-net', labels: { 'dev.kindlab.run': 'aaaa1111' } }, { id: 'net-kind', name: 'kind', labels: {} });
    const removed = await removeRunResources(docker, 'aaaa1111');
    expect(removed).toEqual({ runId: 'aaaa1111', containers: ['demo-control-plane', 'demo-kindlab-claim'], volumes: ['demo-kindlab'], networks: ['demo-net'] });
    expect(docker.containers.map((c) => c.name)).toEqual(['demo-worker', 'demo-worker2']);
    expect(docker.volumes.map((v) => v.name)).toEqual(['demo-etcd-data']);
    expect(docker.networks.map((n) => n.name)).toEqual(['bridge', 'kind']);
  });

  it('sweeps again for a container a killed kind was still starting', async () => {
    const docker = new FakeDocker();
    let late = true;
    const list = docker.listContainersWithLabel.bind(docker);
    docker.listContainersWithLabel = async (key, value) => {
      const found = await list(key, value);
      if (found.length === 0 && late) {
        late = false;
        docker.addContainer('demo-control-plane', { 'dev.kindlab.run': 'aaaa1111' });
      }
      return found;
    };
    docker.addContainer('demo-worker', { 'dev.kindlab.run': 'aaaa1111' });
    const removed = await removeRunResources(docker, 'aaaa1111');
    expect(removed.containers).toEqual(['demo-worker', 'demo-control-plane']);
    expect(docker.containers).toEqual([]);
  });

  it('waits out a container kind was still creating when it was killed: listed, but not inspectable nor removable yet', async () => {
    // Replays test/fixtures/docker-engine/container-in-creation: while Docker copies the node image's /var into the
    // new volume, it lists the container but answers "No such container" to inspect and `docker rm --force` (exit 0).
    const docker = new FakeDocker();
    docker.addContainer('demo-worker', { 'dev.kindlab.run': 'aaaa1111' });
    docker.addContainer('demo-control-plane', { 'dev.kindlab.run': 'aaaa1111' }, 'created');
    const creating = docker.containers[1]!.id;
    docker.creating.add(creating);
    let rounds = 0;
    const list = docker.listContainersWithLabel.bind(docker);
    docker.listContainersWithLabel = async (key, value) => {
      // Created (and so removable) from the third round on, as the recorded create took about 4 s.
      if (++rounds === 3) docker.creating.delete(creating);
      return list(key, value);
    };
    const removed = await removeRunResources(docker, 'aaaa1111');
    expect(removed.containers).toEqual(['demo-worker', 'demo-control-plane']);
    expect(docker.containers).toEqual([]);
    // Removed with the worker in the first round, tried again in the second, gone in the third.
    expect(docker.log.filter((l) => l.startsWith('rm ')).slice(1)).toEqual([`rm ${creating}`, `rm ${creating}`]);
  });

  it('fails, naming it, when a container of the run is still there after the sweep (a node that did not die)', async () => {
    const docker = new FakeDocker();
    docker.addContainer('demo-control-plane', { 'dev.kindlab.run': 'aaaa1111' });
    // Docker's rm returned but the node is still listed: its init never exited.
    docker.removeContainers = async () => undefined;
    const error = await removeRunResources(docker, 'aaaa1111', 1500).catch((e: unknown) => e);
    expect(String(error)).toContain('failed to remove the containers of run aaaa1111: demo-control-plane (running) still there');
  });
});

describe('runScopedDocker', () => {
  it('labels every container and volume created through it with the run id; queries pass through', async () => {
    const docker = new FakeDocker();
    const scoped = runScopedDocker(docker, 'cafe0001');
    await scoped.runDetached(['--name', 'demo-external-etcd', '--label', 'dev.kindlab.lab=demo', 'etcd:img']);
    await scoped.createContainer(['--name', 'demo-kindlab-claim', 'img']);
    await scoped.createVolume('demo-kindlab', { 'dev.kindlab.lab': 'demo' });
    await scoped.createNetwork(['kind']);
    expect(docker.containers.map((c) => c.labels['dev.kindlab.run'])).toEqual(['cafe0001', 'cafe0001']);
    expect(docker.volumes[0]?.labels).toEqual({ 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'cafe0001' });
    // The shared kind network is not the run's to remove.
    expect(docker.networks.find((n) => n.name === 'kind')?.labels).toEqual({});
    expect((await scoped.containersWithLabel('dev.kindlab.run', 'cafe0001')).length).toBe(2);
  });
});
