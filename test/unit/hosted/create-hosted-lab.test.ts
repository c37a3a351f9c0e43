import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeExecResult } from '../../../src/node/node-exec.js';
import { createHostedLab } from '../../../src/hosted/create-hosted-lab.js';
import { readHostedLabRecord } from '../../../src/hosted/hosted-lab-record.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeDocker } from '../support/fake-docker.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

/** Recorded from a real hosted lab (test/fixtures/hosted-lab/README.md). */
const fixture = (file: string) => readFileSync(new URL(`../../fixtures/hosted-lab/${file}`, import.meta.url), 'utf8');
const hostNodes = (JSON.parse(fixture('host-nodes.json')) as { items: V1Node[] }).items;
const podReady = JSON.parse(fixture('pod-ready.json')) as V1Pod;
const service = JSON.parse(fixture('service.json')) as V1Service;
const labNodes = (JSON.parse(fixture('lab-nodes.json')) as { items: V1Node[] }).items;
const labPods = (JSON.parse(fixture('lab-kube-system-pods.json')) as { items: V1Pod[] }).items;

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kindlab-hosted-'));
  vi.stubEnv('KINDLAB_HOME', home);
});
afterEach(() => vi.unstubAllEnvs());

/** The host cluster as recorded: the API assigns the Service its node port, and the pod turns Ready on host1-worker2. */
function hostCluster(execs: Array<readonly string[]>, answer: (argv: readonly string[]) => Partial<NodeExecResult> = () => ({})): FakeKubeApi {
  const host = new FakeKubeApi({ nodes: hostNodes });
  const create = host.create.bind(host);
  host.create = (async (kind, namespace, object) => {
    if (kind === 'service') object = { ...object, spec: { ...(object as V1Service).spec, ports: service.spec!.ports } } as typeof object;
    return create(kind, namespace, object);
  }) as FakeKubeApi['create'];
  const read = host.read.bind(host);
  host.read = (async (kind, namespace, name) => {
    const stored = await read(kind, namespace, name);
    return kind === 'pod' ? { ...stored, spec: podReady.spec, status: podReady.status } : stored;
  }) as FakeKubeApi['read'];
  host.execHandler = async (_namespace, _pod, _container, argv) => {
    execs.push(argv);
    const given = answer(argv);
    if (given.exitCode !== undefined) return { exitCode: 0, stdout: '', stderr: '', ...given };
    if (argv[0] === 'docker') return { exitCode: 0, stdout: 'Loaded image: kindlab/node:v1.34.4\n', stderr: '' };
    if (argv[1] === 'get') return { exitCode: 0, stdout: fixture('kind-kubeconfig.yaml'), stderr: '' };
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return host;
}

/** This machine's Docker: the images, and the host's kind nodes as containers; `docker save` writes its file. */
function localDocker(): FakeDocker {
  const docker = new FakeDocker();
  docker.images.add('kindlab/node:v1.34.4').add('kindlab/dind:v0.30.0');
  docker.containers = ['host1-control-plane', 'host1-worker', 'host1-worker2'].map((name) => ({
    id: `id-${name}`,
    name,
    labels: { 'io.x-k8s.kind.cluster': 'host1' },
    state: 'running',
    status: 'Up',
    image: 'kindlab/node:v1.34.4',
    ports: {},
    networks: {},
    createdAt: '2026-12-01T10:00:00Z',
  }));
  docker.runCommandAnswer = (args) => {
    if (args[0] === 'save') writeFileSync(args[2]!, 'tar');
    if (args[0] === 'tag') docker.images.add(args[2]!);
    return {};
  };
  return docker;
}

function run(host: FakeKubeApi, docker: FakeDocker, signal = new AbortController().signal) {
  const lab = new FakeKubeApi({ nodes: labNodes }).add('pod', 'kube-system', ...labPods);
  const spec = buildTopologySpec({ kind: 'single', name: 'hs3', profile: 'workshop' });
  return createHostedLab({ host, kube: () => lab, docker, home, now: () => new Date('2026-12-01T11:00:00Z') }, spec, {
    renderer: 'silent',
    signal,
    host: { kubeconfig: '/tmp/h/host.kubeconfig', context: 'kind-host1', server: 'https://127.0.0.1:35307' },
    namespace: 'default',
    kubeconfigPath: join(home, 'kubeconfig'),
    nodeImage: 'kindlab/node:v1.34.4',
  });
}

describe('createHostedLab (replaying a real hosted lab)', () => {
  it('creates the Service and pod, loads the images, runs kind inside, and records where the lab is', async () => {
    const execs: Array<readonly string[]> = [];
    const host = hostCluster(execs);
    const docker = localDocker();
    const result = await run(host, docker);

    expect(result.hostNode).toBe('host1-worker2');
    // The pod's node and the node port the API gave the Service: where this machine reaches the lab.
    expect(result.server).toBe(`https://${podReady.status!.hostIP}:${service.spec!.ports![0]!.nodePort}`);
    expect(host.calls.filter((c) => c.startsWith('create'))).toEqual(['create service default/kindlab-hs3', 'create pod default/kindlab-hs3']);
    expect(execs.map((argv) => argv.slice(0, 3).join(' '))).toEqual(['docker load', 'kind create cluster', 'kind get kubeconfig']);
    // The pod image is tagged with its id, imported only into the schedulable workers (the control plane is tainted).
    const tag = docker.log.find((l) => l.startsWith('tag '))!;
    expect(tag).toMatch(/^tag kindlab\/dind:v0\.30\.0 kindlab\/dind:v0\.30\.0-\S+$/);
    expect(docker.log.filter((l) => l.startsWith('cp ')).map((l) => l.split(' ')[2]!.split(':')[0])).toEqual(['host1-worker', 'host1-worker2']);

    const record = readHostedLabRecord('hs3', home)!;
    expect(record).toMatchObject({
      name: 'hs3',
      runId: result.runId,
      namespace: 'default',
      pod: 'kindlab-hs3',
      hostNode: 'host1-worker2',
      server: result.server,
    });
    const kubeconfig = load(readFileSync(record.kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
    expect(kubeconfig.clusters[0]!.cluster.server).toBe(result.server);
    expect(readFileSync(join(home, 'kubeconfig'), 'utf8')).toContain('kind-hs3');
  });

  it('refuses at preflight, exit 2, when this machine lacks the pod image (a bundle saved without --hosted): nothing saved or created', async () => {
    const host = hostCluster([]);
    const docker = localDocker();
    docker.images.delete('kindlab/dind:v0.30.0');
    await expect(run(host, docker)).rejects.toMatchObject({
      message: "failed to find image kindlab/dind:v0.30.0 on this machine's Docker",
      hint: 'run `lab image build`, or `lab image load` an archive that `lab image save --hosted` wrote',
      exitCode: 2,
    });
    expect(docker.log.filter((l) => /^(save|tag|cp) /.test(l))).toEqual([]);
    expect(host.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });

  it('removes the pod and Service of its run, and writes no record, when kind fails inside the pod', async () => {
    const execs: Array<readonly string[]> = [];
    const host = hostCluster(execs, (argv) =>
      argv[1] === 'create'
        ? { exitCode: 1, stderr: 'ERROR: failed to create cluster: could not find a log line that matches "Reached target .*Multi-User System.*"' }
        : {},
    );
    await expect(run(host, localDocker())).rejects.toThrow(
      /failed to run kind create in the lab's pod \(exit 1\):\n {2}\$ kubectl --kubeconfig \/tmp\/h\/host.kubeconfig exec -i -n default kindlab-hs3 -- kind create cluster/,
    );
    expect(host.calls).toContain('delete pod default/kindlab-hs3');
    expect(host.calls.some((c) => c.startsWith('delete service default dev.kindlab.lab=hs3,dev.kindlab.component=hosted-lab,dev.kindlab.run='))).toBe(true);
    expect(host.objects.filter((o) => o.kind === 'pod' || o.kind === 'service')).toEqual([]);
    expect(readHostedLabRecord('hs3', home)).toBeUndefined();
    expect(existsSync(join(home, 'kubeconfig'))).toBe(false);
  });
});
