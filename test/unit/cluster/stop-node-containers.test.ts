import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stopNodeContainers } from '../../../src/cluster/stop-node-containers.js';
import { ExecaDockerCli, type ContainerInfo } from '../../../src/docker/docker-cli.js';
import { FakeDocker, TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';

/**
 * `docker top bh-control-plane2 -o pid,comm` every 0.5 s while `docker stop --time 30` ran on a
 * control plane of an ha lab (test/fixtures/record-node-stop.sh): etcd gone from the 12th sample
 * (8.5 s), kube-apiserver until the kill at 30 s, then "is not running".
 */
const DIR = new URL('../../fixtures/lab-stop-start/node-stop-control-plane/', import.meta.url);
const SAMPLES = await Promise.all(
  readdirSync(DIR)
    .filter((f) => /^\d{3}-at-.*\.txt$/.test(f))
    .sort()
    .map(async (f) => ({ file: f, names: (await topNames(readFileSync(new URL(f, DIR), 'utf8')))! })),
);

/** The command names as ExecaDockerCli reads them from `docker top` (checked on the same files in docker-cli.test.ts). */
function topNames(stdout: string): Promise<string[] | undefined> {
  return new ExecaDockerCli(new FakeRunner(() => ({ stdout })), TEST_DOCKER_ENDPOINT).containerProcessNames('bh-control-plane2');
}

function container(id: string, name: string): ContainerInfo {
  return { id, name, image: 'kindlab/node:v1.34.4', state: 'running', status: 'Up 5 minutes', labels: {}, networks: {}, ports: {} } as unknown as ContainerInfo;
}

/** A daemon whose `docker stop` ends only by a kill (as the recorded control plane did) or after its timeout. */
class SlowStopDocker extends FakeDocker {
  stopTimeouts: number[] = [];
  override async stopContainers(ids: readonly string[], options: { timeoutSeconds?: number } = {}): Promise<void> {
    this.stopTimeouts.push(options.timeoutSeconds ?? 30);
    this.log.push(`stop ${ids.join(' ')}`);
    const deadline = Date.now() + (options.timeoutSeconds ?? 30) * 1000;
    while (ids.some((id) => this.containers.find((c) => c.id === id)?.state === 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (Date.now() >= deadline) {
      this.log.push('stop timed out');
      for (const c of this.containers) c.state = 'exited';
    }
  }
}

describe('stopNodeContainers', () => {
  it('kills a control plane at the first recorded sample without etcd, kubelet or containerd, not at the timeout', async () => {
    const docker = new SlowStopDocker();
    docker.containers = [container('cp2', 'bh-control-plane2')];
    const seen: string[] = [];
    docker.processNames = () => {
      const sample = SAMPLES[seen.length] ?? SAMPLES.at(-1)!;
      seen.push(sample.file);
      return sample.names;
    };
    await stopNodeContainers(docker, ['cp2'], { timeoutSeconds: 30, pollMs: 1 });
    expect(SAMPLES.findIndex((s) => !s.names.includes('etcd'))).toBe(11);
    expect(seen.at(-1)).toMatch(/^012-at-8\.5s/);
    expect(docker.log).toEqual(['stop cp2', 'kill bh-control-plane2']);
    expect(docker.stopTimeouts).toEqual([30]);
  });

  it('leaves a container that stops by itself to docker stop, and kills one that runs none of them (the load balancer) at once', async () => {
    const docker = new SlowStopDocker();
    docker.containers = [container('w', 'bh-worker'), container('lb', 'bh-external-load-balancer')];
    let workerPolls = 0;
    docker.processNames = (id) => {
      if (id === 'lb') return ['haproxy'];
      if (++workerPolls === 3) docker.containers[0]!.state = 'exited';
      return ['systemd', 'kubelet', 'containerd'];
    };
    await stopNodeContainers(docker, ['w', 'lb'], { timeoutSeconds: 30, pollMs: 1 });
    expect(docker.log).toEqual(['stop w lb', 'kill bh-external-load-balancer']);
  });

  it('leaves the container to docker stop when it cannot list its processes', async () => {
    const docker = new SlowStopDocker();
    docker.containers = [container('cp', 'bh-control-plane')];
    docker.processNames = () => {
      throw new Error('Error response from daemon: No such container: cp');
    };
    await stopNodeContainers(docker, ['cp'], { timeoutSeconds: 0.05, pollMs: 1 });
    expect(docker.log).toEqual(['stop cp', 'stop timed out']);
  });
});
