import { describe, expect, it } from 'vitest';
import { readLabObjects } from '../../../src/cluster/read-lab-objects.js';
import type { ListedContainer } from '../../../src/docker/docker-cli.js';
import { FakeDocker } from '../support/fake-docker.js';

/** Two labs, a pool lab handed to alice (her record names it), and a container of no lab. */
function daemon(): { docker: FakeDocker; inspected: string[][] } {
  const docker = new FakeDocker();
  docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo', 'io.x-k8s.kind.role': 'control-plane' });
  docker.addContainer('demo-external-etcd', { 'dev.kindlab.lab': 'demo', 'dev.kindlab.component': 'etcd' });
  docker.addContainer('room-1-control-plane', { 'io.x-k8s.kind.cluster': 'room-1', 'io.x-k8s.kind.role': 'control-plane' });
  docker.addContainer(
    'room-1-participant',
    { 'dev.kindlab.lab': 'room-1', 'dev.kindlab.component': 'participant', 'dev.kindlab.participant': 'alice' },
    'created',
  );
  docker.addContainer('unrelated', {});
  docker.volumes.push({ name: 'demo-kindlab', labels: { 'dev.kindlab.lab': 'demo' }, createdAt: '' });
  docker.volumes.push({ name: 'room-1-kindlab', labels: { 'dev.kindlab.lab': 'room-1' }, createdAt: '' });
  const inspected: string[][] = [];
  const inspect = docker.inspectContainers.bind(docker);
  docker.inspectContainers = (listed: readonly ListedContainer[]) => (inspected.push(listed.map((c) => c.id)), inspect(listed));
  // Found by the one listing only: a per-label query would be a docker ps (and inspect) per label.
  docker.containersWithLabel = () => Promise.reject(new Error('listed by label'));
  return { docker, inspected };
}

describe('readLabObjects: one listing, one inspect', () => {
  it("inspects only the named lab's containers, in one inspect, and keeps only its volumes", async () => {
    const { docker, inspected } = daemon();
    const objects = await readLabObjects(docker, 'demo');
    expect(objects.lab).toBe('demo');
    expect(inspected).toEqual([['id-demo-control-plane', 'id-demo-external-etcd']]);
    expect(objects.containers.map((c) => c.name)).toEqual(['demo-control-plane', 'demo-external-etcd']);
    expect(objects.volumes.map((v) => v.name)).toEqual(['demo-kindlab']);
  });

  it('finds the pool lab handed to a participant when asked to, and takes the name as a lab name otherwise', async () => {
    const { docker } = daemon();
    const handed = await readLabObjects(docker, 'alice', { participants: true });
    expect(handed.lab).toBe('room-1');
    expect(handed.containers.map((c) => c.name)).toEqual(['room-1-control-plane', 'room-1-participant']);
    expect(handed.volumes.map((v) => v.name)).toEqual(['room-1-kindlab']);
    expect(await readLabObjects(docker, 'alice')).toEqual({ lab: 'alice', containers: [], volumes: [] });
  });

  it("reads every lab's containers (and no other container) when no name is given", async () => {
    const { docker, inspected } = daemon();
    const objects = await readLabObjects(docker);
    expect(objects.lab).toBeUndefined();
    expect(inspected).toHaveLength(1);
    expect(objects.containers.map((c) => c.name)).not.toContain('unrelated');
    expect(objects.containers).toHaveLength(4);
    expect(objects.volumes).toHaveLength(2);
  });
});
