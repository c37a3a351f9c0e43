import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { demultiplex, DockerEngineSocket } from '../../../src/docker/docker-engine-socket.js';
import { execInNode } from '../../../src/node/exec-in-node.js';
import { DockerNodeExec } from '../../../src/node/docker-node-exec.js';
import { NodeExecTimeoutError } from '../../../src/node/node-exec-timeout-error.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';

/*
 * Execs recorded on the bh ha lab with curl on the socket (create, start, inspect) and with the docker
 * CLI right after (test/fixtures/README.md, "Docker Engine API"): one that prints on both streams and
 * exits 3, one whose program does not exist (the runtime refuses it, exit 126).
 */
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/docker-engine/${name}`, import.meta.url));
const EXECS = {
  'ps-stderr-exit3': { container: 'bh-worker', argv: ['sh', '-c', 'ps -ww -eo pid,ppid,args; echo err >&2; exit 3'] },
  'not-found': { container: 'bh-worker', argv: ['nonexistent', 'x'] },
} as const;
type Recorded = keyof typeof EXECS;
const idOf = (name: Recorded) => (JSON.parse(fixture(`exec-${name}.inspect.json`).toString()) as { ID: string }).ID;

/** A daemon on a unix socket that replays the recorded execs; `hang` never ends a start stream. */
async function recordedDaemon(options: { hang?: boolean } = {}): Promise<{ socket: string; asked: string[] }> {
  const socket = join(mkdtempSync(join(tmpdir(), 'kindlab-engine-')), 'docker.sock');
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      asked.push(`${req.method} ${req.url}`);
      answer(req.method ?? '', req.url ?? '', Buffer.concat(chunks).toString(), res, options);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  servers.push(server);
  return { socket, asked };
}

function answer(method: string, url: string, body: string, res: ServerResponse, options: { hang?: boolean }): void {
  const create = /^\/containers\/([^/]+)\/exec$/.exec(url);
  if (method === 'POST' && create) {
    const cmd = (JSON.parse(body) as { Cmd: string[] }).Cmd;
    // A hanging daemon takes any command (DockerNodeExec wraps it in `timeout`), and never ends its output.
    const name = options.hang
      ? 'ps-stderr-exit3'
      : (Object.keys(EXECS) as Recorded[]).find((n) => EXECS[n].container === create[1] && JSON.stringify(EXECS[n].argv) === JSON.stringify(cmd));
    if (!name) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end(`{"message":"No such container: ${create[1]}"}\n`);
    return void res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: idOf(name) }));
  }
  const name = (Object.keys(EXECS) as Recorded[]).find((n) => url.startsWith(`/exec/${idOf(n)}/`));
  if (name && method === 'POST' && url.endsWith('/start')) {
    res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
    if (options.hang) return void res.write(fixture(`exec-${name}.stream`).subarray(0, 8));
    return void res.end(fixture(`exec-${name}.stream`));
  }
  if (name && method === 'GET' && url.endsWith('/json'))
    return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(fixture(`exec-${name}.inspect.json`));
  res.writeHead(404).end('not recorded');
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
});

const cliOn = (socket: string, runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'the CLI was not to be run' }))) => ({
  runner,
  docker: new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT, 'docker', new DockerEngineSocket(socket)),
});

describe('docker exec on the daemon socket', () => {
  it('answers as the docker CLI did: stdout, stderr and exit code, without running it', async () => {
    const daemon = await recordedDaemon();
    const { runner, docker } = cliOn(daemon.socket);
    const { container, argv } = EXECS['ps-stderr-exit3'];
    const result = await docker.exec(container, argv, { allowFailure: true });
    expect(runner.calls).toEqual([]);
    expect(result).toMatchObject({
      command: 'docker',
      args: ['exec', container, ...argv],
      exitCode: 3,
      stderr: fixture('exec-ps-stderr-exit3.cli-stderr.txt').toString(),
    });
    // Another run of ps than the CLI's: the same header and programs, other pids for ps itself.
    const programs = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trim().split(/\s+/).slice(2).join(' '))
        .filter((p) => !/^(ps|sh -c)\b/.test(p));
    expect(programs(result.stdout)).toEqual(programs(fixture('exec-ps-stderr-exit3.cli-stdout.txt').toString()));
    expect(daemon.asked.map((a) => a.replace(/[0-9a-f]{64}/, '<id>'))).toEqual([
      'POST /containers/bh-worker/exec',
      'POST /exec/<id>/start',
      'GET /exec/<id>/json',
    ]);
  });

  it('fails like the CLI, naming the command, when the exit code is not 0 and failure is not allowed', async () => {
    const daemon = await recordedDaemon();
    const { container, argv } = EXECS['ps-stderr-exit3'];
    await expect(cliOn(daemon.socket).docker.exec(container, argv)).rejects.toThrow(
      /failed to run docker \(exit 3\):\n {2}\$ docker exec bh-worker sh -c 'ps -ww[^\n]*\n {2}err/,
    );
  });

  it("gives the runtime's refusal to start a missing program on stdout with exit 126, as the CLI printed it", async () => {
    const daemon = await recordedDaemon();
    const { container, argv } = EXECS['not-found'];
    const result = await cliOn(daemon.socket).docker.exec(container, argv, { allowFailure: true });
    expect(result).toMatchObject({ exitCode: 126, stdout: fixture('exec-not-found.cli-stdout.txt').toString(), stderr: '' });
  });

  it('asks the CLI when the daemon will not create the exec (no such container), so its error says why', async () => {
    const daemon = await recordedDaemon();
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'Error response from daemon: No such container: gone' }));
    await expect(cliOn(daemon.socket, runner).docker.exec('gone', ['true'])).rejects.toThrow('No such container: gone');
    expect(runner.calls.map((c) => c.args)).toEqual([['exec', 'gone', 'true']]);
  });

  it('asks the CLI when the socket is not there', async () => {
    const runner = new FakeRunner(() => ({ stdout: 'from the CLI\n' }));
    const { docker } = cliOn(join(mkdtempSync(join(tmpdir(), 'kindlab-engine-')), 'missing.sock'), runner);
    expect((await docker.exec('bh-worker', ['true'])).stdout).toBe('from the CLI\n');
  });

  it('stops waiting at the timeout: DockerNodeExec names the command, the CLI is not run after all', async () => {
    const daemon = await recordedDaemon({ hang: true });
    const { runner, docker } = cliOn(daemon.socket);
    const { argv } = EXECS['ps-stderr-exit3'];
    const started = Date.now();
    const error = await execInNode(new DockerNodeExec(docker), 'bh-worker', argv, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeExecTimeoutError);
    expect((error as Error).message).toContain("docker exec bh-worker sh -c 'ps -ww");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(runner.calls).toEqual([]);
  });

  it('stops at once when aborted, with the abort reason', async () => {
    const daemon = await recordedDaemon({ hang: true });
    const { docker } = cliOn(daemon.socket);
    const { container, argv } = EXECS['ps-stderr-exit3'];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('Ctrl-C')), 100);
    await expect(new DockerNodeExec(docker).exec(container, argv, { signal: controller.signal })).rejects.toThrow('Ctrl-C');
  });
});

describe('demultiplex', () => {
  it('splits the recorded stream into stdout and stderr, and keeps the bytes of a frame cut short as stdout', () => {
    const stream = fixture('exec-ps-stderr-exit3.stream');
    const whole = demultiplex(stream);
    expect(whole.stderr).toBe('err\n');
    expect(whole.stdout.startsWith('    PID    PPID COMMAND\n')).toBe(true);
    const cut = demultiplex(stream.subarray(0, 20));
    expect(cut).toEqual({ stdout: stream.subarray(0, 20).toString('utf8'), stderr: '' });
  });
});
