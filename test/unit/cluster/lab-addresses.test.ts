import { describe, expect, it } from 'vitest';
import { chooseAddresses } from '../../../src/cluster/choose-addresses.js';
import { formatAddressList } from '../../../src/cluster/docker-label-shim.js';
import { kindContainerNames } from '../../../src/cluster/kind-container-names.js';
import { chooseLabAddresses } from '../../../src/cluster/lab-addresses.js';
import { notPinnedNotice } from '../../../src/cluster/not-pinned-notice.js';
import { FakeDocker } from '../support/fake-docker.js';

describe('kindContainerNames', () => {
  it('names the containers as kind v0.30.0 does: <cluster>-<role>, then <role>2, <role>3, and the load balancer when there are several control planes', () => {
    // The names kind gave the hq-ha lab (test/fixtures/docker/inspect-hq-ha.json) and the hd-multi lab.
    expect(kindContainerNames('hq-ha', [{ role: 'control-plane' }, { role: 'control-plane' }, { role: 'control-plane' }, { role: 'worker' }])).toEqual([
      'hq-ha-control-plane',
      'hq-ha-control-plane2',
      'hq-ha-control-plane3',
      'hq-ha-worker',
      'hq-ha-external-load-balancer',
    ]);
    expect(kindContainerNames('m', [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }])).toEqual(['m-control-plane', 'm-worker', 'm-worker2']);
  });
});

describe('chooseAddresses', () => {
  // A scripted random source: the offsets it will return, in order.
  const script = (...offsets: number[]) => {
    const left = [...offsets];
    return (max: number) => {
      const next = left.shift();
      if (next === undefined || next >= max) throw new Error(`script ran out or out of range (max ${max})`);
      return next;
    };
  };

  it('takes addresses from the upper half of the subnet, which Docker (lowest free first) hands out last', () => {
    expect(chooseAddresses('172.18.0.0/16', [], 2, script(0, 32765))).toEqual(['172.18.128.0', '172.18.255.253']);
  });

  it('never takes an address held or pinned by another container, nor one twice', () => {
    expect(chooseAddresses('172.18.0.0/16', ['172.18.128.0'], 1, script(0, 0, 1))).toEqual(['172.18.128.1']);
    expect(chooseAddresses('172.18.0.0/16', ['172.18.128.0'], 2, script(0, 1, 1, 2))).toEqual(['172.18.128.1', '172.18.128.2']);
  });

  it('refuses when the upper half cannot hold the lab, naming the subnet', () => {
    // A /29 has 8 addresses: the upper half is .4-.6 (.7 is the broadcast address); .5 is taken.
    expect(() => chooseAddresses('10.0.0.0/29', ['10.0.0.5'], 3)).toThrow(
      'failed to choose 3 addresses on docker network kind: only 2 free in the upper half of 10.0.0.0/29',
    );
    expect(() => chooseAddresses('fc00:f853:ccd:e793::/64', [], 1)).toThrow('not an IPv4');
  });

  it('reads the subnet and the taken addresses from the daemon, one address per container, once Docker has started a container there with --ip', async () => {
    const docker = new FakeDocker();
    docker.networks.push({ id: 'net-kind-1', name: 'kind', labels: {} });
    docker.addContainer('other-lab-node', {});
    const chosen = await chooseLabAddresses(docker, ['a-control-plane', 'a-worker'], 'kindlab/node:v1.34.4');
    expect(chosen.refusal).toBeUndefined();
    expect(Object.keys(chosen.addresses)).toEqual(['a-control-plane', 'a-worker']);
    expect(new Set(Object.values(chosen.addresses)).size).toBe(2);
    expect(docker.log[0]).toBe('network addresses kind');
    // The question: a throwaway container of the node image on a free upper-half address, with no lab label.
    expect(docker.log[1]).toMatch(/^try address kind 172\.18\.(12[89]|1[3-9]\d|2[0-5]\d)\.\d+ kindlab\/node:v1\.34\.4 dev\.kindlab\.component=ip-probe$/);
    // Asked once per network id: the next lab on the same network is not asked again.
    docker.log = [];
    await chooseLabAddresses(docker, ['b-control-plane'], 'kindlab/node:v1.34.4');
    expect(docker.log).toEqual(['network addresses kind']);
    expect(formatAddressList({ 'a-control-plane': '172.18.200.1', 'a-worker': '172.18.200.2' })).toBe('a-control-plane=172.18.200.1 a-worker=172.18.200.2');
  });

  it('asks nothing on a kind network kindlab made with its IPv4 subnet given (its label says so)', async () => {
    const docker = new FakeDocker();
    // refusesIp: a probe would be refused, so only the label can make the addresses come out.
    docker.refusesIp = true;
    docker.networks.push({ id: 'net-kind-labelled', name: 'kind', labels: { 'dev.kindlab.ipv4-subnet': 'given' } });
    const chosen = await chooseLabAddresses(docker, ['c-control-plane'], 'kindlab/node:v1.34.4');
    expect(Object.keys(chosen.addresses)).toEqual(['c-control-plane']);
    expect(docker.log).toEqual(['network addresses kind']);
  });

  it('pins nothing where Docker refuses --ip (recorded refusal), and says what that means for a restart', async () => {
    const docker = new FakeDocker();
    docker.networks.push({ id: 'net-kind-refusing', name: 'kind', labels: {} });
    docker.refusesIp = true;
    const chosen = await chooseLabAddresses(docker, ['h-control-plane', 'h-control-plane2'], 'kindlab/node:v1.34.4');
    expect(chosen).toEqual({
      addresses: {},
      refusal: 'Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets',
    });
    expect(notPinnedNotice(chosen.refusal!, 3)).toContain('a lab with 3 control planes may not come back');
    expect(notPinnedNotice(chosen.refusal!, 1)).toContain('it still comes back');
  });
});
