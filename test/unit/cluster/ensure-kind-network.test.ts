import { describe, expect, it } from 'vitest';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { ensureKindNetwork, ulaSubnetFromName } from '../../../src/cluster/ensure-kind-network.js';
import { FakeRunner } from '../support/fake-runner.js';

describe('ulaSubnetFromName', () => {
  // Reference values printed by kind v0.30.0's generateULASubnetFromName (network.go), copied into a
  // scratch Go program and run with `go run` (Go 1.26): same sha1 + little-endian attempt + net.IPNet.String().
  it.each([
    ['kind', 0, 'fc00:f853:ccd:e793::/64'],
    ['kind', 1, 'fc00:8866:27d0:bd7e::/64'],
    ['kind', 2, 'fc00:ddd9:fcae:c61c::/64'],
    ['kind-test', 0, 'fc00:d790:247d:b39b::/64'],
    ['x', 2, 'fc00:afe2:f5c9:68d::/64'],
  ] as const)('%s attempt %d -> %s', (name, attempt, subnet) => {
    expect(ulaSubnetFromName(name, attempt)).toBe(subnet);
  });
});

describe('ensureKindNetwork', () => {
  it('leaves an existing network alone', async () => {
    const runner = new FakeRunner(({ args }) => (args[1] === 'inspect' ? { stdout: 'kind\n' } : undefined));
    expect(await ensureKindNetwork(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT))).toBe('existed');
    expect(runner.calls.map((c) => c.args[1])).toEqual(['inspect']);
  });

  it('creates it as kind v0.30.0 would: bridge, masquerade, bridge MTU, IPv6 ULA subnet; plus the IPv4 subnet Docker would pick, given explicitly (so --ip works on it)', async () => {
    const runner = new FakeRunner(({ args }) => {
      if (args[1] === 'inspect' && args.at(-1) === 'kind') return { exitCode: 1, stderr: 'Error: No such network: kind' };
      if (args[1] === 'inspect' && args.includes('bridge')) return { stdout: '1500\n' };
      // Recorded: `docker network create st2-probe-net`, then `docker network inspect st2-probe-net --format '{{.Id}}{{"\t"}}{{json .IPAM.Config}}'` (Docker 20.10.24).
      if (args[1] === 'inspect' && String(args.at(-1)).startsWith('kindlab-subnet-probe-'))
        return { stdout: '8ea579e6efe8f96a9417c7025094358f339698dd6afc3bad1876d23a65ae9451\t[{"Gateway":"172.20.0.1","Subnet":"172.20.0.0/16"}]\n' };
      return undefined;
    });
    expect(await ensureKindNetwork(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT), { runId: 'run-1' })).toBe('created');
    const create = runner.calls.find((c) => c.args[1] === 'create')!.args;
    const probe = create.at(-1);
    expect(probe).toMatch(/^kindlab-subnet-probe-[0-9a-f]{8}$/);
    // Labelled with the run: a run killed between create and rm leaves a network its cleanup finds by run id.
    expect(create.slice(2, -1)).toEqual(['--label', 'dev.kindlab.component=subnet-probe', '--label', 'dev.kindlab.run=run-1']);
    expect(runner.lines((c) => c.args[1] === 'rm')).toEqual([`docker network rm ${probe}`]);
    expect(runner.calls.at(-1)?.args).toEqual([
      'network',
      'create',
      '-d=bridge',
      '-o',
      'com.docker.network.bridge.enable_ip_masquerade=true',
      '-o',
      'com.docker.network.driver.mtu=1500',
      '--subnet',
      '172.20.0.0/16',
      // Not kind's: says the IPv4 subnet was given, so `--ip` needs no probe (network-takes-ip.ts).
      '--label',
      'dev.kindlab.ipv4-subnet=given',
      '--ipv6',
      '--subnet',
      'fc00:f853:ccd:e793::/64',
      'kind',
    ]);
  });

  it('falls back to IPv4 only where the daemon has no IPv6', async () => {
    const runner = new FakeRunner(({ args }) => {
      if (args[1] === 'inspect') return { exitCode: 1, stdout: '' };
      if (args[1] === 'create' && args.includes('--ipv6')) {
        return { exitCode: 1, stderr: 'Error response from daemon: Cannot read IPv6 setup for bridge br-x' };
      }
      return undefined;
    });
    expect(await ensureKindNetwork(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT))).toBe('created');
    expect(runner.calls.at(-1)?.args).toEqual(['network', 'create', '-d=bridge', '-o', 'com.docker.network.bridge.enable_ip_masquerade=true', 'kind']);
  });
});
