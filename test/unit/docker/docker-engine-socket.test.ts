import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KIND_CLUSTER_LABEL, LAB_LABEL, LAB_RUN_LABEL } from '../../../src/common/labels.js';
import { METADATA_LABEL_KEYS } from '../../../src/cluster/lab-metadata.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { DockerEngineSocket } from '../../../src/docker/docker-engine-socket.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';

/** The bh ha lab's answers, on the socket and from the docker CLI in the same minute (test/fixtures/README.md, "Docker Engine API"). */
const recorded = (name: string): string => readFileSync(new URL(`../../fixtures/docker-engine/${name}`, import.meta.url), 'utf8');
const CONTAINERS = recorded('containers-bh.json');
const INSPECTS = JSON.parse(recorded('container-inspect-bh.json')) as Record<string, unknown>;
const VOLUMES = recorded('volumes-lab.json');
const CLI = { ps: recorded('ps-bh.txt'), inspect: recorded('container-inspect-bh.cli.json'), volumes: recorded('volumes-lab.txt') };

/** A daemon on a unix socket that answers the recorded GETs (and records what it was asked). */
async function recordedDaemon(
  answer: (path: string) => { status: number; body: string } = replayBh,
): Promise<{ socket: string; asked: string[]; server: Server }> {
  const socket = join(mkdtempSync(join(tmpdir(), 'kindlab-engine-')), 'docker.sock');
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const { status, body } = answer(req.url ?? '');
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  servers.push(server);
  return { socket, asked, server };
}

function replayBh(path: string): { status: number; body: string } {
  const url = new URL(path, 'http://docker');
  const filters = JSON.parse(url.searchParams.get('filters') ?? '{}') as { label?: string[] };
  if (url.pathname === '/containers/json' && filters.label?.[0] === `${KIND_CLUSTER_LABEL}=bh`) return { status: 200, body: CONTAINERS };
  if (url.pathname === '/volumes' && filters.label?.[0] === LAB_LABEL) return { status: 200, body: VOLUMES };
  const inspected = /^\/containers\/([0-9a-f]+)\/json$/.exec(url.pathname);
  if (inspected && INSPECTS[inspected[1]!]) return { status: 200, body: JSON.stringify(INSPECTS[inspected[1]!]) };
  return { status: 404, body: JSON.stringify({ message: `No such container: ${inspected?.[1]}` }) };
}

/** The docker CLI's answers of the same moment. */
function replayCli(): FakeRunner {
  return new FakeRunner(({ args }) => {
    if (args[0] === 'ps') return { stdout: CLI.ps };
    if (args[0] === 'container' && args[1] === 'inspect') return { stdout: CLI.inspect };
    if (args[0] === 'volume' && args[1] === 'ls') return { stdout: CLI.volumes };
    return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
  });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('Docker reads on the daemon socket', () => {
  it('give the containers of a lab as the docker CLI gives them, without running it', async () => {
    const daemon = await recordedDaemon();
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'the CLI was not to be run' }));
    const onSocket = await new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(daemon.socket)).containersWithLabel(
      KIND_CLUSTER_LABEL,
      'bh',
    );
    const byCli = await new ExecaDockerCli(replayCli(), TEST_DOCKER_ENDPOINT).containersWithLabel(KIND_CLUSTER_LABEL, 'bh');
    expect(runner.calls).toEqual([]);
    expect(onSocket.map((c) => c.name).sort()).toEqual([
      'bh-control-plane',
      'bh-control-plane2',
      'bh-control-plane3',
      'bh-external-load-balancer',
      'bh-worker',
    ]);
    expect(onSocket).toEqual(byCli);
    expect(onSocket.find((c) => c.name === 'bh-worker')).toMatchObject({
      state: 'running',
      status: 'Up 16 minutes',
      networks: { kind: { pinnedIpv4: '172.18.202.229' } },
    });
    expect(daemon.asked[0]).toBe(`/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`${KIND_CLUSTER_LABEL}=bh`] }))}`);
  });

  it('give the labs metadata volumes with the labels asked for, as the CLI template columns do', async () => {
    const daemon = await recordedDaemon();
    const onSocket = await new ExecaDockerCli(new FakeRunner(), TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(daemon.socket)).listVolumes(
      LAB_LABEL,
      METADATA_LABEL_KEYS,
    );
    const byCli = await new ExecaDockerCli(replayCli(), TEST_DOCKER_ENDPOINT).listVolumes(LAB_LABEL, METADATA_LABEL_KEYS);
    expect(onSocket).toEqual(byCli);
    expect(onSocket[0]!.labels).toMatchObject({ [LAB_LABEL]: 'bh', 'dev.kindlab.topology': 'ha' });
    expect(Object.keys(onSocket[0]!.labels)).not.toContain('dev.kindlab.profile');
  });

  it('leave out a container that is gone between the listing and its inspect, as the CLI does', async () => {
    const [first] = Object.keys(INSPECTS);
    const daemon = await recordedDaemon((path) => (path.includes(first!) ? { status: 404, body: '{"message":"No such container"}' } : replayBh(path)));
    const containers = await new ExecaDockerCli(new FakeRunner(), TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(daemon.socket)).containersWithLabel(
      KIND_CLUSTER_LABEL,
      'bh',
    );
    expect(containers.map((c) => c.id)).not.toContain(first);
    expect(containers).toHaveLength(4);
  });

  it('list a container still being created, which neither inspect shows (replay of a node killed mid-create)', async () => {
    const fixture = (name: string): string => recorded(`container-in-creation/${name}`);
    const [listed] = JSON.parse(fixture('during.list.json')) as Array<{ Id: string; Labels: Record<string, string> }>;
    const runId = listed!.Labels[LAB_RUN_LABEL]!;
    const daemon = await recordedDaemon((path) =>
      path.startsWith('/containers/json?')
        ? { status: Number(fixture('during.list.status')), body: fixture('during.list.json') }
        : { status: Number(fixture('during.inspect.status')), body: fixture('during.inspect.json') },
    );
    const cli = new FakeRunner(({ args }) => {
      if (args[0] === 'ps') return { stdout: fixture('during.ps.txt') };
      if (args[0] === 'container' && args[1] === 'inspect')
        return { exitCode: 1, stdout: fixture('during.cli-inspect.stdout'), stderr: fixture('during.cli-inspect.stderr') };
      return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
    });
    const onSocket = new ExecaDockerCli(new FakeRunner(), TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(daemon.socket));
    const byCli = new ExecaDockerCli(cli, TEST_DOCKER_ENDPOINT);
    const expected = [{ id: listed!.Id, name: fixture('during.ps.txt').split('\t')[1], state: 'created' }];
    expect(await onSocket.listContainersWithLabel(LAB_RUN_LABEL, runId)).toEqual(expected);
    expect(await byCli.listContainersWithLabel(LAB_RUN_LABEL, runId)).toEqual(expected);
    expect(await onSocket.containersWithLabel(LAB_RUN_LABEL, runId)).toEqual([]);
    expect(await byCli.containersWithLabel(LAB_RUN_LABEL, runId)).toEqual([]);
  });

  it('fall back to the docker CLI when the socket is not there, so its error names the command', async () => {
    const runner = new FakeRunner(({ args }) => (args[0] === 'ps' ? { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } : undefined));
    const missing = new DockerEngineSocket(join(mkdtempSync(join(tmpdir(), 'kindlab-engine-')), 'none.sock'));
    await expect(new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT, 'docker', missing).listAllContainers([LAB_LABEL])).rejects.toThrow(/docker ps --all/);
    expect(runner.lines()[0]).toMatch(/^docker ps --all --no-trunc/);
  });

  it('fall back to the docker CLI when the daemon answers an error', async () => {
    const daemon = await recordedDaemon(() => ({ status: 500, body: '{"message":"boom"}' }));
    const cli = replayCli();
    const containers = await new ExecaDockerCli(cli, TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(daemon.socket)).containersWithLabel(
      KIND_CLUSTER_LABEL,
      'bh',
    );
    expect(containers).toHaveLength(5);
    expect(cli.lines().map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['docker ps', 'docker container']);
  });

  it('is used only for unix endpoints', () => {
    expect(DockerEngineSocket.pathOf('unix:///var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(DockerEngineSocket.pathOf('tcp://10.0.0.5:2376')).toBeUndefined();
    expect(DockerEngineSocket.pathOf('ssh://me@host')).toBeUndefined();
  });
});
