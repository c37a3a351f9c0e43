import { readFileSync } from 'node:fs';
import type { V1Node, V1NodeList, V1PodList, V1Service } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { externalEtcdRunArgs } from '../../../src/cluster/external-etcd.js';
import { formatLabStatus } from '../../../src/cluster/format-lab-status.js';
import { getLabStatus } from '../../../src/cluster/lab-status.js';
import { metadataLabels } from '../../../src/cluster/lab-metadata.js';
import { startLab } from '../../../src/cluster/start-lab.js';
import { stopLab } from '../../../src/cluster/stop-lab.js';
import { ExecaDockerCli, type ContainerInfo } from '../../../src/docker/docker-cli.js';
import type { KubeObjects, ObjectKind } from '../../../src/kube/kube-api.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeDocker, fakeKind, TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';

// Recorded from the hs-ha lab (`lab up ha --name hs-ha`, then `lab stop hs-ha` and `lab start hs-ha`): see test/fixtures/README.md.
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8');
const json = <T>(file: string) => JSON.parse(fixture(file)) as T;

/** The containers of a recorded `docker container inspect`, read by the real DockerCli code. */
async function recordedContainers(file: string): Promise<ContainerInfo[]> {
  const ids = json<Array<{ Id: string }>>(file).map((c) => c.Id);
  const docker = new ExecaDockerCli(new FakeRunner(() => ({ stdout: fixture(file) })), TEST_DOCKER_ENDPOINT);
  return docker.inspectContainers(ids.map((id) => ({ id, status: '', labels: {} })));
}

function labRecord(name: string, etcd: 'stacked' | 'external' = 'stacked') {
  const spec = buildTopologySpec({ kind: 'ha', name, etcd });
  return {
    name: `${name}-kindlab`,
    labels: metadataLabels(spec, { createdAt: '2026-11-30T12:00:00Z', kubeconfig: '', nodeImage: 'kindlab/node:v1.34.4' }),
    createdAt: '',
  };
}

/** An API server that answers with the recorded state right after the start first, then with the recorded state once healthy. */
function replayingApi(): FakeKubeApi {
  const api = new FakeKubeApi();
  const nodes = [json<V1NodeList>('lab-stop-start/nodes-right-after-start.json').items, json<V1NodeList>('lab-stop-start/nodes-after-start.json').items];
  const pods = [json<V1PodList>('lab-stop-start/pods-right-after-start.json').items, json<V1PodList>('lab-stop-start/pods-after-start.json').items];
  api.add('service', 'default', json<V1Service>('lab-stop-start/unrouted-api-dials/kubernetes-service.json'));
  api.listNodes = async () => (nodes.length > 1 ? (nodes.shift() as V1Node[]) : (nodes[0] as V1Node[]));
  api.list = async <K extends ObjectKind>(kind: K) => {
    expect(kind).toBe('pod');
    return (pods.length > 1 ? pods.shift() : pods[0]) as unknown as Array<KubeObjects[K]>;
  };
  return api;
}

const ETCD_ID = '32071565705b9d129b374aeba9bac18914a89b24fd78d944f082d0089f2df17a';

// Each start replays two polls of the API 2 s apart.
describe('lab stop / lab start of the recorded ha lab', { timeout: 30_000 }, () => {
  let docker: FakeDocker;
  let progress: string[];
  let conntrackRuns: string[];
  const deps = () => ({
    docker,
    kind: async () => fakeKind(docker, []),
    kube: () => replayingApi(),
    now: () => new Date('2026-11-30T12:06:55Z'),
  });

  beforeEach(() => {
    docker = new FakeDocker();
    docker.volumes.push(labRecord('hs-ha'));
    progress = [];
    // `docker start` starts each container when it did in the recorded `lab start hs-ha`.
    const started = new Map(
      json<Array<{ Name: string; State: { StartedAt: string } }>>('lab-stop-start/inspect-hs-ha-after-start.json').map((c) => [
        c.Name.slice(1),
        c.State.StartedAt,
      ]),
    );
    docker.startTime = (name) => started.get(name) ?? '2026-11-30T12:07:00Z';
    conntrackRuns = [];
    docker.execAnswer = (container, command) =>
      command[0] === 'conntrack'
        ? (conntrackRuns.push(`${container}: ${command.join(' ')}`), { stderr: fixture('lab-stop-start/unrouted-api-dials/conntrack-delete-some.stderr') })
        : container === 'hs-ha-external-etcd'
          ? { stdout: fixture('etcdctl/endpoint-health-tls-healthy.stdout') }
          : command[0] === 'crictl' && command[1] === 'ps'
            ? { stdout: `${ETCD_ID}\n` }
            : { stdout: fixture('lab-stop-start/etcd-health-cluster.json') };
  });

  it('stops the clients first: workers, then the load balancer, then the control planes; nothing to pin (lab up pinned them)', async () => {
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-running.json');
    const result = await stopLab(docker, 'hs-ha', { output: (l) => progress.push(l) });
    expect(docker.log).toEqual([
      'stop hs-ha-worker',
      'stop hs-ha-external-load-balancer',
      'stop hs-ha-control-plane hs-ha-control-plane2 hs-ha-control-plane3',
    ]);
    expect(result.stopped.map((g) => g.part)).toEqual(['workers', 'load balancer', 'control planes']);
    expect(result.pinned).toEqual([]);
    expect((await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hs-ha'))?.state).toBe('stopped');
  });

  it('starts the control planes together, then the load balancer, then the workers, each on its pinned address; waits past the stale Ready the API still shows', async () => {
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-stopped.json');
    const pinned = Object.fromEntries(docker.containers.map((c) => [c.name, c.networks.kind?.pinnedIpv4]));
    expect(pinned['hs-ha-control-plane']).toBe('172.18.233.238');
    // While the lab was stopped, another container took the lowest free address, as Docker hands them out.
    docker.addContainer('hs-other', {});
    const result = await startLab(deps(), 'hs-ha', { waitMs: 60_000, output: (l) => progress.push(l) });
    expect(docker.log).toEqual([
      'start hs-ha-control-plane hs-ha-control-plane2 hs-ha-control-plane3',
      'start hs-ha-external-load-balancer',
      'start hs-ha-worker',
    ]);
    // Recorded right after the start the worker was still "Ready" from before the stop (heartbeat 12:03:42): not counted.
    expect(progress).toContain('3/4 Ready (reported since each node started)');
    expect(progress).toContain('4/4 Ready (reported since each node started)');
    expect(progress.some((l) => l.startsWith('3/3 etcd members healthy'))).toBe(true);
    // One round of the pod wait saw pods not Ready (the first recorded list): each node's untranslated
    // dials of the API's ClusterIP were cleared then, and not after the pods were Ready.
    const argv = 'conntrack -D -p tcp --orig-dst 10.96.0.1 --reply-src 10.96.0.1 --state SYN_SENT';
    expect(conntrackRuns).toEqual(['hs-ha-control-plane', 'hs-ha-control-plane2', 'hs-ha-control-plane3', 'hs-ha-worker'].map((n) => `${n}: ${argv}`));
    expect(result.addresses.map((a) => [a.container, a.address])).toEqual(Object.entries(pinned).sort(([a], [b]) => a.localeCompare(b)));
  });

  it('pins a lab from before pinning (the recorded hq-ha lab) to the addresses it had, once stopped, so it comes back on them', async () => {
    docker.containers = await recordedContainers('docker/inspect-hq-ha.json');
    docker.volumes = [labRecord('hq-ha')];
    const before = Object.fromEntries(docker.containers.map((c) => [c.name, c.networks.kind?.ipv4]));
    expect(Object.values(before).every((ip) => ip?.startsWith('172.18.0.'))).toBe(true);
    const stopped = await stopLab(docker, 'hq-ha');
    expect(stopped.pinned.map((p) => [p.container, p.address]).sort()).toEqual(Object.entries(before).sort());
    // Asked first, while everything runs: does the kind network take --ip (a throwaway container of the lab's node image)?
    expect(docker.log.slice(0, 2)).toEqual([
      'network addresses kind',
      expect.stringMatching(/^try address kind 172\.18\.\d+\.\d+ \S+ dev\.kindlab\.component=ip-probe$/),
    ]);
    expect(docker.log.slice(2, 5).every((line) => line.startsWith('stop '))).toBe(true);
    expect(docker.log.slice(5).every((line) => line.startsWith('pin '))).toBe(true);
    docker.addContainer('hs-other', {});
    await docker.startContainers(docker.containers.filter((c) => c.name.startsWith('hq-ha')).map((c) => c.id));
    expect(Object.fromEntries(docker.containers.filter((c) => c.name.startsWith('hq-ha')).map((c) => [c.name, c.networks.kind?.ipv4]))).toEqual(before);
  });

  it('pins nothing where Docker refuses --ip on the kind network (recorded refusal), asked before anything stops, and says what that means for 3 control planes', async () => {
    docker.containers = await recordedContainers('docker/inspect-hq-ha.json');
    docker.volumes = [labRecord('hq-ha')];
    docker.networks.push({ id: 'net-kind-refusing', name: 'kind', labels: {} });
    docker.refusesIp = true;
    const stopped = await stopLab(docker, 'hq-ha', { output: (l) => progress.push(l) });
    expect(stopped.pinned).toEqual([]);
    expect(stopped.notPinned).toBe(
      'addresses not pinned: Docker refuses --ip on network kind (Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets); a lab with 3 control planes may not come back after `lab stop`/`lab start` or a Docker restart (kind#1689: etcd peers keep their old addresses)',
    );
    expect(progress[0]).toBe(stopped.notPinned);
    expect(docker.log.filter((line) => line.startsWith('pin '))).toEqual([]);
    expect(docker.containers.every((c) => c.state === 'exited')).toBe(true);
  });

  it('lab status says why containers have no pinned address: a lab from before pinning (lab stop pins it), or Docker refusing --ip (no promise for 3 control planes)', async () => {
    docker.containers = await recordedContainers('docker/inspect-hq-ha.json');
    docker.volumes = [labRecord('hq-ha')];
    docker.networks.push({ id: 'net-kind-status', name: 'kind', labels: {} });
    const status = await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hq-ha');
    expect(status?.addressNotice).toMatch(/^addresses not pinned yet \(hq-ha-control-plane, .*\); `lab stop` pins each to the address it has$/);
    expect(formatLabStatus(status!, new Date('2026-11-30T12:10:00Z'))).toContain(status!.addressNotice);
    // A network made without its IPv4 subnet given (a new id: asked again).
    docker.networks = [{ id: 'net-kind-status-refusing', name: 'kind', labels: {} }];
    docker.refusesIp = true;
    const refused = await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hq-ha');
    expect(refused?.addressNotice).toContain('Docker refuses --ip on network kind (Error response from daemon: user specified IP address is supported only');
    expect(refused?.addressNotice).toContain('a lab with 3 control planes may not come back');
    // Pinned labs say nothing.
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-running.json');
    expect((await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hs-ha'))?.addressNotice).toBeUndefined();
  });

  it('lab status of a cluster kindlab did not create starts no probe container: it says its addresses are not pinned', async () => {
    docker.containers = await recordedContainers('docker/inspect-hq-ha.json');
    docker.volumes = [];
    docker.networks.push({ id: 'net-kind-plain', name: 'kind', labels: {} });
    const status = await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hq-ha');
    expect(status?.addressNotice).toMatch(/^addresses not pinned \(hq-ha-control-plane, .*: not made by `lab up`\)/);
    expect(docker.log.filter((l) => l.startsWith('try address'))).toEqual([]);
  });

  it('starts external etcd first and stops it last', async () => {
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-stopped.json');
    docker.volumes = [labRecord('hs-ha', 'external')];
    await docker.runDetached(externalEtcdRunArgs('hs-ha', 'kindlab/etcd:v3.6.5', '172.18.200.9'));
    await docker.stopContainers([docker.containers.at(-1)!.id]);
    docker.log = [];
    await startLab(deps(), 'hs-ha', { waitMs: 60_000, output: (l) => progress.push(l) });
    expect(docker.log[0]).toBe('start hs-ha-external-etcd');
    expect(progress.indexOf('external etcd is healthy')).toBeLessThan(progress.findIndex((l) => l.startsWith('starting control planes')));
    expect(docker.containers.find((c) => c.name === 'hs-ha-external-etcd')?.networks.kind?.ipv4).toBe('172.18.200.9');
    docker.log = [];
    await stopLab(docker, 'hs-ha');
    expect(docker.log.at(-1)).toBe('stop hs-ha-external-etcd');
  });

  it("says which addresses it could not get back when another container holds one (Docker's 'Address already in use')", async () => {
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-stopped.json');
    await docker.runDetached(['--name', 'hs-squatter', '--ip', '172.18.218.1', 'img']);
    await expect(startLab(deps(), 'hs-ha', { waitMs: 60_000 })).rejects.toMatchObject({
      message: expect.stringContaining(
        'failed to start lab hs-ha: another container on network kind holds an address of hs-ha-control-plane 172.18.233.238, hs-ha-control-plane2 172.18.218.1',
      ),
      hint: expect.stringContaining('docker network inspect kind'),
    });
  });

  it('refuses an unknown lab (exit 3, as lab status and lab suspend) and a suspended one (exit 2), changing nothing', async () => {
    await expect(stopLab(docker, 'nope')).rejects.toMatchObject({
      exitCode: 3,
      message: 'lab nope does not exist',
      hint: expect.stringContaining('lab list'),
    });
    docker.containers = await recordedContainers('lab-stop-start/inspect-hs-ha-running.json');
    for (const c of docker.containers) c.state = 'paused';
    await expect(startLab(deps(), 'hs-ha', { waitMs: 1000 })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('lab hs-ha is suspended'),
    });
    expect((await getLabStatus({ ...deps(), runner: new FakeRunner() }, 'hs-ha', { withApi: false }))?.state).toBe('suspended');
    expect(docker.log).toEqual([]);
  });
});
