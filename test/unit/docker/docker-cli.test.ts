import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExecaDockerCli, parseBytes } from '../../../src/docker/docker-cli.js';
import { DockerClusterContainers } from '../../../src/inspect/docker/docker-cluster-containers.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';

/** What the docker CLI answered for the hd-ha lab (see test/fixtures/README.md, "Docker CLI output"). */
const recorded = (name: string): string => readFileSync(new URL(`../../fixtures/docker/${name}`, import.meta.url), 'utf8');
const PS = recorded('ps-ha.txt');
const INSPECT = recorded('inspect-ha.json');
const STATS = recorded('stats-ha.txt');

function replayHa(): FakeRunner {
  return new FakeRunner(({ args }) => {
    if (args[0] === 'ps') return { stdout: args.includes('label=io.x-k8s.kind.cluster=hd-ha') ? PS : '' };
    if (args[0] === 'container' && args[1] === 'inspect') return { stdout: INSPECT };
    if (args[0] === 'stats') return { stdout: STATS };
    return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
  });
}

describe('the Docker seam over the docker CLI, replaying the hd-ha lab', () => {
  it('lists containers by label with their ps status, image, addresses and published ports', async () => {
    const runner = replayHa();
    const containers = await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT).containersWithLabel('io.x-k8s.kind.cluster', 'hd-ha');
    expect(containers.map((c) => [c.name, c.state, c.status]).sort()).toEqual([
      ['hd-ha-control-plane', 'running', 'Up 5 minutes'],
      ['hd-ha-control-plane2', 'running', 'Up 5 minutes'],
      ['hd-ha-control-plane3', 'running', 'Up 5 minutes'],
      ['hd-ha-external-load-balancer', 'running', 'Up 5 minutes'],
      ['hd-ha-worker', 'running', 'Up 5 minutes'],
    ]);
    expect(containers.find((c) => c.name === 'hd-ha-external-load-balancer')).toMatchObject({
      image: 'docker.io/kindest/haproxy:v20230606-42a2262b',
      networks: { kind: { ipv4: '172.18.0.2', ipv6: 'fc00:f853:ccd:e793::2' } },
      ports: { '6443/tcp': '127.0.0.1:46517' },
    });
    expect(containers.find((c) => c.name === 'hd-ha-worker')!.ports).toEqual({});
    // Every call carries the pinned endpoint.
    expect(runner.calls.every((c) => c.options.env?.DOCKER_CONTEXT === 'default')).toBe(true);
  });

  it("picks a lab and lists its containers with one docker ps and one docker container inspect (the lab's claim container and other labs' left out)", async () => {
    const runner = new FakeRunner(({ args }) => {
      if (args[0] === 'ps' && !args.includes('--filter')) return { stdout: recorded('ps-labels-ha.txt') };
      if (args[0] === 'container' && args[1] === 'inspect') return { stdout: recorded('inspect-hq-ha.json') };
      return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
    });
    const containers = new DockerClusterContainers(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT));
    expect(await containers.listClusters()).toContain('hq-ha');
    const listed = await containers.listContainers('hq-ha');
    expect(listed.map((c) => [c.name, c.role, c.state])).toEqual([
      ['hq-ha-external-load-balancer', 'external-load-balancer', 'running'],
      ['hq-ha-control-plane', 'control-plane', 'running'],
      ['hq-ha-control-plane2', 'control-plane', 'running'],
      ['hq-ha-control-plane3', 'control-plane', 'running'],
      ['hq-ha-worker', 'worker', 'running'],
    ]);
    const lb = listed[0]!;
    expect(lb.status).toMatch(/^Up /);
    expect(lb.image).toBe('docker.io/kindest/haproxy:v20230606-42a2262b');
    expect(lb.ports['6443/tcp']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(lb.labels).toMatchObject({ 'dev.kindlab.lab': 'hq-ha', 'io.x-k8s.kind.cluster': 'hq-ha', 'io.x-k8s.kind.role': 'external-load-balancer' });
    // State.Pid: where this host reads a node's admin.conf without an exec.
    expect(listed.find((c) => c.name === 'hq-ha-control-plane')!.hostPid).toBe(10317);
    expect(runner.calls.map((c) => (c.args[0] === 'ps' ? 'ps' : c.args.slice(0, 2).join(' ')))).toEqual(['ps', 'container inspect']);
    // Only this lab's containers are inspected.
    const inspected = runner.calls[1]!.args.slice(2);
    expect(inspected).toHaveLength(5);
    expect(
      recorded('ps-labels-ha.txt')
        .split('\n')
        .filter((row) => row.split('\t')[2] === '"hq-ha"')
        .map((row) => row.split('\t')[0])
        .sort(),
    ).toEqual([...inspected].sort());
  });

  it("reads each container's own cgroup in it: memory as docker stats counts it, CPU time, pids (recorded on a real ha control plane)", async () => {
    const cgroup = readFileSync(new URL('../../fixtures/raw/cgroup/ha-control-plane.cgroup-v1.txt', import.meta.url), 'utf8');
    const runner = new FakeRunner(({ args }) => (args[0] === 'exec' ? { stdout: cgroup } : { exitCode: 1, stderr: `not expected: docker ${args.join(' ')}` }));
    const stats = await new DockerClusterContainers(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT)).stats('abc123');
    // `docker stats` showed 457.1MiB for this container at the same moment: usage minus total_inactive_file.
    expect(stats).toEqual({ memoryBytes: 1097269248 - 618311680, memoryLimitBytes: 0, cpuSeconds: 37.273586307, pids: 248 });
    expect(runner.calls.map((c) => c.args.slice(0, 3).join(' '))).toEqual(['exec abc123 cat']);
  });

  it('falls back to one docker stats call for all containers where the cgroup cannot be read (no cat), memory in bytes as the CLI rounds it', async () => {
    const runner = replayHa();
    const containers = new DockerClusterContainers(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT));
    const ids = PS.trim()
      .split('\n')
      .map((line) => line.split('\t')[0]!);
    const samples = await Promise.all(ids.map((id) => containers.stats(id)));
    expect(runner.calls.filter((c) => c.args[0] === 'stats')).toHaveLength(1);
    expect(samples[0]).toEqual({ memoryBytes: Math.round(18.28 * 2 ** 20), memoryLimitBytes: Math.round(23.54 * 2 ** 30), cpuPercent: 0.24, pids: 3 });
    expect(samples.every((s) => s.memoryBytes > 100 * 2 ** 20 || s.pids === 3)).toBe(true);
  });

  it('parses the units docker prints', () => {
    expect(parseBytes('0B')).toBe(0);
    expect(parseBytes('407.9MiB')).toBe(Math.round(407.9 * 2 ** 20));
    expect(parseBytes('5.56MB')).toBe(5_560_000);
    expect(parseBytes('--')).toBe(0);
  });
});

describe('docker pause / unpause', () => {
  it('freezes and thaws all the given containers in one call each, nothing for none', async () => {
    const runner = new FakeRunner(() => ({ stdout: '' }));
    const docker = new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT);
    await docker.pauseContainers(['a1', 'b2']);
    await docker.unpauseContainers(['a1', 'b2']);
    await docker.pauseContainers([]);
    expect(runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual(['docker pause a1 b2', 'docker unpause a1 b2']);
  });
});

describe('removing a node that does not exit', () => {
  it('takes "No such container" for removed, in one docker rm', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'Error: No such container: gone1' }));
    await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT).removeContainers(['gone1']);
    expect(runner.calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['rm --force']);
  });

  it('inspects the init pids, thaws what it can and removes again, then reports what Docker said', async () => {
    const id = '9bf487bbaed1d4a44b362f162598a617ef71756d110663e2f5fd7ec494e841ac';
    // What dockerd answered in CI for a node whose pod scope stayed frozen (see thaw-frozen-cgroups.ts).
    const stderr = `Error response from daemon: Could not kill running container ${id}, cannot remove - tried to kill container, but did not receive an exit event`;
    const runner = new FakeRunner(({ args }) => {
      if (args[0] === 'rm') return { exitCode: 1, stderr };
      if (args[0] === 'container' && args[1] === 'inspect') return { stdout: `${id} 999999999\n` };
      return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
    });
    const error = await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT).removeContainers([id]).catch((e: unknown) => e);
    expect(runner.calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['rm --force', 'container inspect', 'rm --force']);
    expect(String(error)).toContain(`failed to remove containers ${id}: ${stderr}`);
  });
});

describe('docker top and docker kill, replaying a control plane stopping (test/fixtures/record-node-stop.sh)', () => {
  const stop = (name: string): string => readFileSync(new URL(`../../fixtures/lab-stop-start/${name}`, import.meta.url), 'utf8');
  /** A recorded stderr file: Docker's message, then the `exit N` line the script appended. */
  const failed = (name: string) => {
    const [message = '', exit = ''] = stop(name).trimEnd().split('\n');
    return { exitCode: Number(exit.replace('exit ', '')), stderr: `${message}\n` };
  };

  it("lists a running node's command names, kube-controller-manager's as the kernel cuts it", async () => {
    const runner = new FakeRunner(() => ({ stdout: stop('node-stop-control-plane/before.txt') }));
    const names = await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT).containerProcessNames('abc');
    expect(runner.calls[0]!.args).toEqual(['top', 'abc', '-o', 'pid,comm']);
    expect(names).toHaveLength(23);
    expect(names).toEqual(expect.arrayContaining(['systemd', 'etcd', 'kubelet', 'containerd', 'containerd-shim', 'kube-controller', 'systemd-journal']));
  });

  it('answers undefined for a container that no longer runs, and throws on any other failure with the command', async () => {
    const gone = new FakeRunner(() => failed('node-stop-control-plane/047-at-30.5s.stderr'));
    expect(await new ExecaDockerCli(gone, TEST_DOCKER_ENDPOINT).containerProcessNames('abc')).toBeUndefined();
    const missing = new FakeRunner(() => failed('top-missing.stderr'));
    await expect(new ExecaDockerCli(missing, TEST_DOCKER_ENDPOINT).containerProcessNames('abc')).rejects.toThrow(/docker top abc -o pid,comm/);
  });

  it('kills containers in one call; one that has just stopped is not an error, a missing one is', async () => {
    const runner = new FakeRunner(() => failed('kill-not-running.stderr'));
    await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT).killContainers(['a', 'b']);
    expect(runner.calls.map((c) => c.args)).toEqual([['kill', 'a', 'b']]);
    const missing = new FakeRunner(() => failed('kill-missing.stderr'));
    await expect(new ExecaDockerCli(missing, TEST_DOCKER_ENDPOINT).killContainers(['nope'])).rejects.toThrow(/docker kill nope/);
  });
});
