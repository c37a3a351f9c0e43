import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dump, load } from 'js-yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLab, type StepEvent } from '../../../src/cluster/create-lab.js';
import type { CreateClusterOptions, KindCli } from '../../../src/cluster/kind-cli.js';
import type { V1Node, V1NodeList, V1PodList } from '@kubernetes/client-node';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { EXTERNAL_ETCD_IMAGE, OFFLINE_NODE_IMAGE } from '../../../src/image/image-refs.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import type { TopologyInput } from '../../../src/topology/topology-spec.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';
import { FakeDocker } from '../support/fake-docker.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { LAB_UP_STEP_ORDER } from '../../support/lab-up-step-order.js';

/** kind at the KindCli edge: "creates" node containers with kind's labels and writes the context, as kind does. */
class FakeKind implements KindCli {
  readonly path = '/fake/kind';
  creates: CreateClusterOptions[] = [];
  deletes: string[] = [];
  failWith: Error | undefined;
  hangUntilAborted = false;
  /** Runs while kind "creates", e.g. another tool starting a container of the same cluster name. */
  during: (() => void) | undefined;
  constructor(private readonly docker: FakeDocker) {}
  async version() {
    return 'kind v0.30.0 go1.26.8 linux/amd64';
  }
  async createCluster(options: CreateClusterOptions) {
    this.creates.push(options);
    // The docker shim puts the lab and run labels on every container kind runs.
    this.docker.addContainer(`${options.name}-control-plane`, {
      'io.x-k8s.kind.cluster': options.name,
      'io.x-k8s.kind.role': 'control-plane',
      'dev.kindlab.lab': options.labels.lab,
      'dev.kindlab.run': options.labels.runId,
    });
    this.during?.();
    if (this.hangUntilAborted) {
      await new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(new Error('killed')), { once: true }));
    }
    if (this.failWith) throw this.failWith;
    // Like kind: merge the cluster's context into the file, keeping the others.
    const doc = (existsSync(options.kubeconfig) ? (load(readFileSync(options.kubeconfig, 'utf8')) as Record<string, Array<{ name: string }>>) : {}) ?? {};
    const name = `kind-${options.name}`;
    const merged = {
      clusters: [...(doc.clusters ?? []), { name, cluster: { server: 'https://127.0.0.1:40001' } }],
      contexts: [...(doc.contexts ?? []), { name, context: { cluster: name, user: name } }],
      users: [...(doc.users ?? []), { name }],
      'current-context': name,
    };
    writeFileSync(options.kubeconfig, dump(merged), { mode: existsSync(options.kubeconfig) ? undefined : 0o644 });
  }
  async deleteCluster(name: string) {
    this.deletes.push(name);
    this.docker.containers = this.docker.containers.filter((c) => c.labels['io.x-k8s.kind.cluster'] !== name);
  }
  async getKubeconfig() {
    return 'apiVersion: v1\n';
  }
}

// Recorded from a real single-node lab; see test/fixtures/kube-api/README.md.
const recorded = <T>(file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/kube-api/${file}`, import.meta.url), 'utf8')) as T;

/** The recorded Ready node, `count` times under names n0, n1, ... */
function readyNodes(count: number): V1Node[] {
  const [node] = recorded<V1NodeList>('single-nodes.json').items;
  return Array.from({ length: count }, (_, i) => ({ ...node!, metadata: { ...node!.metadata, name: `n${i}` } }));
}

/** An API server with `nodes` Ready nodes and the recorded kube-system pods, all Running and Ready. */
function readyApi(nodes: number): FakeKubeApi {
  return new FakeKubeApi({ nodes: readyNodes(nodes) }).add('pod', 'kube-system', ...recorded<V1PodList>('single-kube-system-pods.json').items);
}

describe('createLab', () => {
  let docker: FakeDocker;
  let kind: FakeKind;
  let deps: LabDeps;
  let kubeconfig: string;

  beforeEach(() => {
    process.env.KINDLAB_HOME = mkdtempSync(join(tmpdir(), 'kindlab-home-'));
    kubeconfig = join(process.env.KINDLAB_HOME, 'kubeconfig');
    docker = new FakeDocker();
    docker.images.add(OFFLINE_NODE_IMAGE);
    docker.images.add(EXTERNAL_ETCD_IMAGE);
    kind = new FakeKind(docker);
    deps = { runner: new FakeRunner(), docker, kind: async () => kind, kube: () => readyApi(3), now: () => new Date('2026-11-26T12:00:00Z') };
  });

  const spec = (input: TopologyInput) => buildTopologySpec({ kind: 'multi', name: 'demo', kubeconfig, wait: '5s', ...input });

  it('asks Docker whether a kind network it did not make takes --ip, with a throwaway container carrying the run id', async () => {
    docker.networks.push({ id: 'net-kind-made-by-kind', name: 'kind', labels: {} });
    const result = await createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal });
    expect(docker.log.filter((line) => line.startsWith('try address'))).toEqual([
      expect.stringMatching(
        new RegExp(`^try address kind 172\\.18\\.\\d+\\.\\d+ ${OFFLINE_NODE_IMAGE} dev\\.kindlab\\.component=ip-probe,dev\\.kindlab\\.run=${result.runId}$`),
      ),
    ]);
  });

  it('runs the steps in order; external etcd starts on the kind network before kind runs', async () => {
    const events: StepEvent[] = [];
    const result = await createLab(deps, spec({ etcd: 'external' }), {
      renderer: 'silent',
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
    });
    const finished = events.filter((e) => e.event === 'step' && e.status === 'succeeded').map((e) => e.step);
    expect(finished).toEqual([...LAB_UP_STEP_ORDER]);
    // kindlab made the kind network with its IPv4 subnet given and says so on it (below): no probe of --ip.
    expect(docker.log).toEqual([
      'create demo-kindlab-claim',
      'network create kind',
      'network addresses kind',
      'volume create demo-kindlab',
      'volume create demo-etcd-pki',
      `run --rm kubeadm ${OFFLINE_NODE_IMAGE} init phase certs etcd-ca --config /dev/stdin`,
      `run --rm kubeadm ${OFFLINE_NODE_IMAGE} init phase certs etcd-server --config /dev/stdin`,
      `run --rm kubeadm ${OFFLINE_NODE_IMAGE} init phase certs apiserver-etcd-client --config /dev/stdin`,
      'volume create demo-etcd-data',
      'run demo-external-etcd',
    ]);
    // Every container of the lab gets its own address in the upper half of the kind subnet, the external etcd's given to its docker run.
    const addresses = kind.creates[0]?.addresses ?? {};
    expect(Object.keys(addresses)).toEqual(['demo-external-etcd', 'demo-control-plane', 'demo-worker', 'demo-worker2']);
    expect(new Set(Object.values(addresses)).size).toBe(4);
    for (const address of Object.values(addresses)) expect(address).toMatch(/^172\.18\.(12[89]|1[3-9]\d|2[0-5]\d)\.\d+$/);
    expect(docker.containers.find((c) => c.name === 'demo-external-etcd')?.networks.kind).toEqual({
      ipv4: addresses['demo-external-etcd'],
      ipv6: '',
      pinnedIpv4: addresses['demo-external-etcd'],
    });
    expect(kind.creates[0]?.configYaml).toContain('https://demo-external-etcd:2379');
    expect(kind.creates[0]?.configYaml).toContain('hostPath: /var/lib/docker/volumes/demo-etcd-pki/_data/apiserver-etcd-client.key');
    expect(kind.creates[0]?.image).toBe(OFFLINE_NODE_IMAGE);
    expect(result).toMatchObject({ topology: 'multi', etcd: 'external', context: 'kind-demo', kubeconfig, nodeImageSource: 'offline' });
    // Every resource of the run carries its id: claim, record volume, external etcd, kind's nodes.
    expect(result.runId).toMatch(/^[0-9a-f]{8}$/);
    expect(kind.creates[0]?.labels).toEqual({ lab: 'demo', runId: result.runId });
    expect(docker.containers.map((c) => [c.name, c.labels['dev.kindlab.run']])).toEqual([
      ['demo-kindlab-claim', result.runId],
      ['demo-external-etcd', result.runId],
      ['demo-control-plane', result.runId],
    ]);
    expect(docker.volumes.map((v) => [v.name, v.labels['dev.kindlab.run']])).toEqual([
      ['demo-kindlab', result.runId],
      ['demo-etcd-pki', result.runId],
      ['demo-etcd-data', result.runId],
    ]);
    // The shared kind network carries no run id (other labs join it, so no run's cleanup removes it), only the subnet label.
    expect(docker.networks.find((n) => n.name === 'kind')?.labels).toEqual({ 'dev.kindlab.ipv4-subnet': 'given' });
  });

  it('gives each run its own id', async () => {
    const first = await createLab(deps, spec({ name: 'one' }), { renderer: 'silent', signal: new AbortController().signal });
    const second = await createLab(deps, spec({ name: 'two' }), { renderer: 'silent', signal: new AbortController().signal });
    expect(first.runId).not.toBe(second.runId);
  });

  it('refuses external etcd without the etcd image before it creates anything', async () => {
    docker.images.delete(EXTERNAL_ETCD_IMAGE);
    await expect(createLab(deps, spec({ etcd: 'external' }), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      hint: expect.stringContaining('lab image build'),
    });
    expect(docker.log).toEqual([]);
  });

  it('stops before kind when the daemon keeps the PKI volume elsewhere than the kind config mounts it from', async () => {
    docker.volumeMountpoint = async (name) => `/srv/docker/volumes/${name}/_data`;
    await expect(createLab(deps, spec({ etcd: 'external' }), { renderer: 'silent', signal: new AbortController().signal })).rejects.toThrow(
      /volume demo-etcd-pki is at \/srv\/docker\/volumes\/demo-etcd-pki\/_data, not at \/var\/lib\/docker\/volumes\/demo-etcd-pki\/_data/,
    );
    expect(kind.creates).toEqual([]);
    expect(docker.volumes).toEqual([]);
  });

  it('skips external etcd for stacked etcd and fixes a kubeconfig that is not 0600', async () => {
    const events: StepEvent[] = [];
    const result = await createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal, onEvent: (e) => events.push(e) });
    expect(events.find((e) => e.event === 'step' && e.step === 'external-etcd')).toMatchObject({ status: 'skipped' });
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(result.notes[0]).toMatch(/had mode 644; set to 600/);
  });

  it('when kind fails, removes exactly what this run created, never by name', async () => {
    kind.failWith = new Error('failed to create cluster: could not find a log line that matches "Reached target .*Multi-User System.*"');
    // Meanwhile something that does not know the claim (a plain kind, another run) starts a node of the same cluster name.
    kind.during = () => docker.addContainer('demo-worker', { 'io.x-k8s.kind.cluster': 'demo', 'dev.kindlab.run': 'f00dcafe' });
    const events: StepEvent[] = [];
    await expect(
      createLab(deps, spec({ etcd: 'external' }), { renderer: 'silent', signal: new AbortController().signal, onEvent: (e) => events.push(e) }),
    ).rejects.toThrow(/Multi-User/);
    expect(docker.containers.map((c) => c.name)).toEqual(['demo-worker']);
    expect(docker.volumes).toEqual([]);
    // Not kind's delete: it removes every container labelled with the cluster name.
    expect(kind.deletes).toEqual([]);
    const cleanup = events.find((e) => e.event === 'step' && e.step === 'cleanup' && e.status === 'succeeded');
    expect(JSON.parse((cleanup as { message: string }).message)).toMatchObject({
      containers: ['demo-kindlab-claim', 'demo-external-etcd', 'demo-control-plane'],
      volumes: ['demo-kindlab', 'demo-etcd-pki', 'demo-etcd-data'],
      networks: [],
    });
  });

  it('keeps what it created with --retain (kind always runs with --retain)', async () => {
    kind.failWith = new Error('boom');
    await expect(createLab(deps, spec({ retain: true }), { renderer: 'silent', signal: new AbortController().signal })).rejects.toThrow('boom');
    expect(docker.volumes.map((v) => v.name)).toEqual(['demo-kindlab']);
    expect(docker.containers.map((c) => c.name)).toEqual(['demo-kindlab-claim', 'demo-control-plane']);
  });

  it('removes the kubeconfig context only when this run wrote it', async () => {
    writeFileSync(
      kubeconfig,
      'clusters:\n- name: kind-other\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: kind-other\n  context: {cluster: kind-other, user: kind-other}\nusers:\n- name: kind-other\ncurrent-context: kind-other\n',
    );
    const controller = new AbortController();
    deps.kube = () => {
      const api = new FakeKubeApi();
      api.listNodes = async () => {
        controller.abort('SIGINT');
        return [];
      };
      return api;
    };
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: controller.signal })).rejects.toMatchObject({ exitCode: 130 });
    const after = readFileSync(kubeconfig, 'utf8');
    expect(after).not.toContain('kind-demo');
    expect(after).toContain('name: kind-other');
  });

  it('a SIGINT that lands during the last step still undoes the run (exit 130)', async () => {
    const controller = new AbortController();
    const onEvent = (e: StepEvent) => {
      if (e.event === 'step' && e.step === 'kubeconfig' && e.status === 'started') controller.abort('SIGINT');
    };
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: controller.signal, onEvent })).rejects.toMatchObject({ exitCode: 130 });
    expect(docker.containers).toEqual([]);
    expect(docker.volumes).toEqual([]);
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('kind-demo');
  });

  it('on SIGINT aborts the running kind, cleans up and reports exit code 130', async () => {
    kind.hangUntilAborted = true;
    const controller = new AbortController();
    const running = createLab(deps, spec({}), { renderer: 'silent', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(kind.creates).toHaveLength(1);
    controller.abort('SIGINT');
    await expect(running).rejects.toMatchObject({ message: 'lab up interrupted by SIGINT', exitCode: 130 });
    expect(docker.containers).toEqual([]);
    expect(docker.volumes).toEqual([]);
  });

  it('refuses a name claimed by another run (any home, user or CI job on the daemon) and creates nothing', async () => {
    docker.addContainer(
      'demo-kindlab-claim',
      { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': '0badf00d', 'dev.kindlab.component': 'claim', 'dev.kindlab.claimed-at': '2026-11-26T11:00:00.000Z' },
      'created',
    );
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      message: 'lab demo is in use (by run 0badf00d since 2026-11-26T11:00:00.000Z)',
      exitCode: 2,
      hint: expect.stringContaining('lab down demo'),
    });
    expect(docker.log).toEqual([]);
    expect(kind.creates).toEqual([]);
  });

  it('loses the race for the claim after a clean preflight: "in use", exit 2, nothing created, nothing removed', async () => {
    const realCreate = docker.createContainer.bind(docker);
    docker.createContainer = async (args) => {
      // The other run's `docker create` reached the daemon first.
      await realCreate([
        '--name',
        'demo-kindlab-claim',
        '--label',
        'dev.kindlab.lab=demo',
        '--label',
        'dev.kindlab.run=winner01',
        '--label',
        'dev.kindlab.component=claim',
        '--label',
        'dev.kindlab.claimed-at=T0',
        'img',
      ]);
      return realCreate(args);
    };
    const events: StepEvent[] = [];
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal, onEvent: (e) => events.push(e) })).rejects.toMatchObject(
      {
        message: 'lab demo is in use (by run winner01 since T0)',
        exitCode: 2,
      },
    );
    expect(docker.containers.map((c) => c.name)).toEqual(['demo-kindlab-claim']);
    expect(docker.volumes).toEqual([]);
    expect(events.some((e) => e.step === 'cleanup')).toBe(false);
  });

  it('names the other run when its claim and record appear between the preflight listings (real race, CI round 3)', async () => {
    // Seen in CI: the winner created its claim and record volume while the loser's preflight was listing,
    // and the loser called them leftovers "not claimed by a kindlab run". The first listing sees nothing;
    // everything the other run makes afterwards appears at once.
    let listings = 0;
    const appear = () => {
      if (++listings !== 1) return;
      docker.addContainer(
        'demo-kindlab-claim',
        { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'winner02', 'dev.kindlab.component': 'claim', 'dev.kindlab.claimed-at': 'T1' },
        'created',
      );
      docker.volumes.push({ name: 'demo-kindlab', labels: { 'dev.kindlab.lab': 'demo', 'dev.kindlab.run': 'winner02' }, createdAt: 'T1' });
    };
    const listContainers = docker.containersWithLabel.bind(docker);
    const listVolumes = docker.volumesWithLabel.bind(docker);
    docker.containersWithLabel = async (key, value) => {
      const found = await listContainers(key, value);
      appear();
      return found;
    };
    docker.volumesWithLabel = async (key, value) => {
      const found = await listVolumes(key, value);
      appear();
      return found;
    };
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      message: 'lab demo is in use (by run winner02 since T1)',
      exitCode: 2,
    });
    expect(docker.log).toEqual([]);
  });

  it('refuses a name a plain kind cluster uses', async () => {
    docker.addContainer('demo-control-plane', { 'io.x-k8s.kind.cluster': 'demo' });
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      message: 'lab demo is in use (by demo-control-plane, not claimed by a kindlab run)',
      exitCode: 2,
    });
    expect(docker.log).toEqual([]);
  });

  it('offline without the node image: one clear error, exit 2, nothing created', async () => {
    docker.images.clear();
    await expect(createLab(deps, spec({}), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining('lab image build'),
    });
    expect(docker.volumes).toEqual([]);
    expect(kind.creates).toEqual([]);
  });

  it('Docker unreachable: hint lab host prepare', async () => {
    const real = await import('../../../src/docker/docker-cli.js');
    const runner = new FakeRunner(() => ({
      exitCode: 1,
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    }));
    const cli = new real.ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT);
    await expect(createLab({ ...deps, docker: cli }, spec({}), { renderer: 'silent', signal: new AbortController().signal })).rejects.toMatchObject({
      message: expect.stringContaining('at unix:///var/run/docker.sock (from the default context)'),
      hint: expect.stringContaining('run `lab host prepare` to install and start Docker'),
    });
  });
});
