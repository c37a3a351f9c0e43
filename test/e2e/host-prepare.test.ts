import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../src/common/sleep.js';
import { doneIf, waitUntil } from '../../src/common/wait-until.js';
import { ROOT_BUILD_DIR } from '../../src/host/host-paths.js';
import type { HostPrepareResult } from '../../src/host/host-prepare-result.js';
import { isProcessRunning } from '../../src/common/run-owner.js';
import { buildProbeImageTar } from '../../src/host/probe-image-tar.js';
import type { HostResetResult } from '../../src/host/reset-host.js';
import { processes } from './support/private-docker-daemon.js';
import { jsonLines, LAB_CLI, runLab } from './support/run-lab.js';

// Starting a second dockerd, and preparing it, needs root; CI runs as root.
const isRoot = process.getuid?.() === 0;
const skip = !isRoot && process.env.CI !== 'true';
const TEST_LABEL = 'dev.kindlab.e2e=host-prepare';
// The host daemon's default bridge, as it was before any second dockerd ran (checked at the end).
const hostBridgeBefore = existsSync('/sys/class/net/docker0');

/**
 * A second dockerd with its own socket, data, exec root, pid file and daemon.json, and no bridge
 * or iptables of its own: `lab host prepare` is pointed at it, so the test never touches the
 * host's daemon, and it runs containers that must survive the preparation.
 */
class SecondDockerd {
  readonly dir = mkdtempSync(join(tmpdir(), 'kindlab-e2e-host-'));
  readonly socket = `unix://${join(this.dir, 'docker.sock')}`;
  readonly pidFile = join(this.dir, 'docker.pid');
  readonly daemonJson = join(this.dir, 'daemon.json');
  readonly wrapperPath = join(this.dir, 'bin', 'kindlab-runc');
  readonly stateFile = join(this.dir, 'kindlab-host-state.json');
  readonly log = join(this.dir, 'dockerd.log');
  private child: ChildProcess | undefined;

  /** The flags that point `lab host prepare|reset` at this daemon. */
  get target(): string[] {
    return ['--daemon-json', this.daemonJson, '--wrapper-path', this.wrapperPath, '--dockerd-pidfile', this.pidFile, '--docker-host', this.socket];
  }

  /** daemon.json keys that keep this daemon off the host daemon's directories, bridge and iptables. */
  get isolation(): Record<string, unknown> {
    return { 'data-root': join(this.dir, 'data'), 'exec-root': join(this.dir, 'exec'), bridge: 'none', iptables: false };
  }

  async start(config: Record<string, unknown>): Promise<void> {
    writeFileSync(this.daemonJson, `${JSON.stringify(config, null, 2)}\n`);
    const args = [
      '--host',
      this.socket,
      '--data-root',
      join(this.dir, 'data'),
      '--exec-root',
      join(this.dir, 'exec'),
      '--pidfile',
      this.pidFile,
      '--config-file',
      this.daemonJson,
      '--bridge=none',
      '--iptables=false',
    ];
    const log = openSync(this.log, 'a');
    // Its own network namespace: a dockerd with bridge "none" deletes the host's docker0 at start
    // (moby's removeDefaultBridgeInterface), which would break the host daemon's default network.
    this.child = spawn('unshare', ['--net', '--', 'dockerd', ...args], { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 60_000;
    let last = '';
    for (;;) {
      const info = await this.docker(['info', '--format', '{{.ServerVersion}}'], true);
      if (info.exitCode === 0) return;
      last = info.stderr;
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`second dockerd did not answer within 60s (exit ${this.child.exitCode}): ${last}\n${readFileSync(this.log, 'utf8').slice(-2000)}`);
      await sleep(250);
    }
  }

  docker(args: string[], allowFailure = false) {
    return execa('docker', args, { env: { DOCKER_HOST: this.socket }, reject: !allowFailure });
  }

  async pid(): Promise<number> {
    return Number(readFileSync(this.pidFile, 'utf8').trim());
  }

  /**
   * Removes what the test started, stops this daemon (never the host's) and deletes its
   * directory, also after a failure that took dockerd down: its containerd shims (found by this
   * daemon's containerd socket) and their containers are killed, its mounts unmounted.
   */
  async stop(): Promise<void> {
    // Started by the test, or by `lab host prepare` (detached, so only its pid file knows it).
    const pid = this.child?.pid ?? (existsSync(this.pidFile) ? Number(readFileSync(this.pidFile, 'utf8').trim()) : undefined);
    if (pid && isProcessRunning(pid)) {
      const ids = (await this.docker(['ps', '-aq'], true)).stdout.split('\n').filter(Boolean);
      if (ids.length) await this.docker(['rm', '-f', ...ids], true);
      signal(pid, 'SIGTERM');
      for (const deadline = Date.now() + 30_000; isProcessRunning(pid) && Date.now() < deadline;) await sleep(200);
      signal(pid, 'SIGKILL');
    }
    const shims = processes().filter((p) => p.cmdline.includes(join(this.dir, 'exec', 'containerd')));
    for (const shim of shims) for (const child of processes().filter((p) => p.ppid === shim.pid)) signal(child.pid, 'SIGKILL');
    for (const shim of shims) signal(shim.pid, 'SIGKILL');
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '');
    for (const mount of mounts
      .filter((m) => m.startsWith(`${this.dir}/`))
      .sort()
      .reverse())
      await execa('umount', ['-l', mount], { reject: false });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function onPath(name: string): string {
  const found = (process.env.PATH ?? '')
    .split(':')
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
  if (!found) throw new Error(`${name} is not on PATH`);
  return found;
}

/** A signal to a process the test started, which may be gone already. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

interface ContainerState {
  id: string;
  startedAt: string;
  pid: number;
  running: boolean;
}

async function containerStates(daemon: SecondDockerd, ids: string[]): Promise<ContainerState[]> {
  const { stdout } = await daemon.docker(['inspect', '--format', '{{.Id}} {{.State.StartedAt}} {{.State.Pid}} {{.State.Running}}', ...ids]);
  return stdout.split('\n').map((line) => {
    const [id, startedAt, pid, running] = line.split(' ');
    return { id: id as string, startedAt: startedAt as string, pid: Number(pid), running: running === 'true' };
  });
}

async function labJson<T>(args: string[]): Promise<T> {
  const result = await runLab(args);
  expect(result.exitCode, `lab ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return jsonLines(result.stdout)[0] as unknown as T;
}

const sha = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');

describe.skipIf(skip)('lab host prepare on a host where Docker already runs containers (a second dockerd)', () => {
  let daemon: SecondDockerd;
  const image = 'kindlab-e2e/host-busybox:1';
  let runc: string;
  let original: Record<string, unknown>;
  let ids: string[];
  let before: ContainerState[];
  let dockerdPid: number;
  let first: HostPrepareResult;
  let second: HostPrepareResult;

  beforeAll(async () => {
    daemon = new SecondDockerd();
    runc = onPath('runc');
    // A custom default runtime (runc under another name) and keys prepare must keep.
    original = { 'log-level': 'warn', 'max-concurrent-downloads': 2, runtimes: { custom: { path: runc } }, 'default-runtime': 'custom' };
    await daemon.start(original);
    dockerdPid = await daemon.pid();
    const tar = join(daemon.dir, 'busybox.tar');
    writeFileSync(tar, buildProbeImageTar(readFileSync(existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox')));
    await daemon.docker(['import', '--change', 'ENTRYPOINT ["/bin/busybox"]', tar, image]);
    ids = await Promise.all(
      ['a', 'b'].map(async (n) =>
        (await daemon.docker(['run', '-d', '--name', `host-e2e-${n}`, '--label', TEST_LABEL, '--network', 'none', image, 'sleep', '3600'])).stdout.trim(),
      ),
    );
    before = await containerStates(daemon, ids);
    first = await labJson<HostPrepareResult>(['host', 'prepare', '--json', '--nodes', '1', ...daemon.target]);
    second = await labJson<HostPrepareResult>(['host', 'prepare', '--json', '--nodes', '1', ...daemon.target]);
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('keeps the running containers: same ids, start times and processes, and the same dockerd', async () => {
    expect(before.every((c) => c.running)).toBe(true);
    expect(await containerStates(daemon, ids)).toEqual(before);
    expect(await daemon.pid()).toBe(dockerdPid);
  });

  it('keeps daemon.json keys and wraps the custom default runtime instead of dropping it, with a backup', async () => {
    const config = JSON.parse(readFileSync(daemon.daemonJson, 'utf8'));
    const { runtimes, ...rest } = config;
    expect(rest).toMatchObject({ 'log-level': 'warn', 'max-concurrent-downloads': 2 });
    expect(runtimes.custom).toEqual({ path: runc });
    if (first.privileged.missingCapabilities.length === 0) {
      // Privileged containers work natively here: nothing to wrap, nothing changed.
      expect(config).toEqual(original);
      return;
    }
    expect(rest['default-runtime']).toBe('kindlab-runc');
    expect(runtimes['kindlab-runc']).toEqual({ path: daemon.wrapperPath, runtimeArgs: [`--kindlab-runtime=${runc}`] });
    expect(first.privileged.wrapper).toMatchObject({ action: 'installed', wraps: runc, dockerdReload: 'sighup' });
    expect(first.changes.join('\n')).toMatch(/reloaded dockerd \(pid \d+\) with SIGHUP/);
    const backup = /backup (\S+)\)/.exec(first.changes.join('\n'))?.[1] as string;
    expect(JSON.parse(readFileSync(backup, 'utf8'))).toEqual(original);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(statSync(daemon.stateFile).mode & 0o777).toBe(0o600);
    expect((await daemon.docker(['info', '--format', '{{.DefaultRuntime}}'])).stdout).toBe('kindlab-runc');
  });

  it('changes nothing the second time, and a dry run says so', async () => {
    expect(second.changed).toBe(false);
    expect(second.changes).toEqual([]);
    const dry = await labJson<HostPrepareResult>(['host', 'prepare', '--json', '--dry-run', '--nodes', '1', ...daemon.target]);
    expect(dry).toMatchObject({ dryRun: true, changes: [] });
  });

  it('runs privileged containers through the wrapper, without the capabilities the host lacks', async () => {
    const { stdout: id } = await daemon.docker(['run', '-d', '--privileged', '--label', TEST_LABEL, '--network', 'none', image, 'sleep', '120']);
    try {
      const { stdout: status } = await daemon.docker(['exec', '--privileged', id.trim(), '/bin/busybox', 'cat', '/proc/self/status']);
      const effective = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1]}`);
      expect(effective & (1n << 21n), 'CAP_SYS_ADMIN').not.toBe(0n);
      if (first.privileged.missingCapabilities.includes('CAP_SYS_RESOURCE')) {
        expect(effective & (1n << 24n), 'CAP_SYS_RESOURCE dropped, not granted').toBe(0n);
        expect((await daemon.docker(['inspect', '--format', '{{.HostConfig.Runtime}}', id.trim()])).stdout).toBe('kindlab-runc');
      }
    } finally {
      await daemon.docker(['rm', '-f', id.trim()], true);
    }
  });

  it('lab host reset restores the custom default runtime and removes the wrapper, with dockerd and its containers still running', async () => {
    const files = [daemon.daemonJson, daemon.wrapperPath, daemon.stateFile];
    const beforeDry = files.map(sha);
    const dry = await labJson<HostResetResult>(['host', 'reset', '--json', '--dry-run', ...daemon.target]);
    expect(files.map(sha)).toEqual(beforeDry);
    const wrapperBefore = sha(daemon.wrapperPath);
    const reset = await labJson<HostResetResult>(['host', 'reset', '--json', ...daemon.target]);
    expect(dry.changes.every((c) => c.startsWith('would '))).toBe(true);
    expect(dry.changes).toHaveLength(reset.changes.length);
    expect(JSON.parse(readFileSync(daemon.daemonJson, 'utf8'))).toEqual(original);
    expect(existsSync(daemon.wrapperPath)).toBe(false);
    expect(existsSync(daemon.stateFile)).toBe(false);
    if (first.privileged.wrapper) expect(wrapperBefore).not.toBe('absent');
    expect((await daemon.docker(['info', '--format', '{{.DefaultRuntime}}'])).stdout).toBe('custom');
    expect(await containerStates(daemon, ids)).toEqual(before);
    expect(await daemon.pid()).toBe(dockerdPid);
  });

  it('adopts an install by an older kindlab (kindlab-runc wrapping runc, no record) without a reload, and reset undoes it', async () => {
    if (!first.privileged.wrapper) return;
    // What older kindlab left: the wrapper as default without runtimeArgs, and no state file.
    const old = { ...original, runtimes: { custom: { path: runc }, 'kindlab-runc': { path: daemon.wrapperPath } }, 'default-runtime': 'kindlab-runc' };
    writeFileSync(daemon.daemonJson, JSON.stringify(old));
    await runLab(['host', 'prepare', '--dry-run', '--nodes', '1', ...daemon.target]);
    // The wrapper binary older kindlab installed: the build prepare made (and removed again at reset).
    const [built] = readdirSync(ROOT_BUILD_DIR)
      .filter((name) => name.startsWith('kindlab-runc-'))
      .map((name) => join(ROOT_BUILD_DIR, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    await execa('install', ['-m', '0755', built as string, daemon.wrapperPath]);
    process.kill(dockerdPid, 'SIGHUP');
    await waitUntil(
      async () => {
        const runtime = (await daemon.docker(['info', '--format', '{{.DefaultRuntime}}'])).stdout;
        return doneIf(runtime === 'kindlab-runc', `default runtime ${runtime}`);
      },
      { what: 'the second dockerd to load the old-style daemon.json (default runtime kindlab-runc)', timeoutMs: 30_000, intervalMs: 100 },
    );
    const migrated = await labJson<HostPrepareResult>(['host', 'prepare', '--json', '--nodes', '1', ...daemon.target]);
    expect(migrated.changes).toEqual([expect.stringMatching(/^recorded the existing kindlab-runc install \(wrapping runc\)/)]);
    expect(JSON.parse(readFileSync(daemon.daemonJson, 'utf8'))).toEqual(old);
    expect(await containerStates(daemon, ids)).toEqual(before);
    const reset = await labJson<HostResetResult>(['host', 'reset', '--json', ...daemon.target]);
    expect(reset.changes).toHaveLength(3);
    // Older kindlab replaced the default runtime without a record: reset goes back to Docker's built-in runc, by name.
    expect(JSON.parse(readFileSync(daemon.daemonJson, 'utf8'))).toEqual({ ...original, 'default-runtime': 'runc' });
    expect((await daemon.docker(['info', '--format', '{{.DefaultRuntime}}'])).stdout).toBe('runc');
    expect(await daemon.pid()).toBe(dockerdPid);
  });
});

describe.skipIf(skip)('lab host prepare where no dockerd runs yet', () => {
  let daemon: SecondDockerd;
  let result: HostPrepareResult;
  let config: Record<string, unknown>;

  beforeAll(async () => {
    daemon = new SecondDockerd();
    // dockerd started by prepare reads everything that keeps it apart from the host's daemon from daemon.json.
    config = { ...daemon.isolation, 'log-level': 'warn' };
    writeFileSync(daemon.daemonJson, JSON.stringify(config));
    // In a network namespace of its own, so the dockerd it starts (bridge "none") cannot delete the host's docker0.
    const prepare = await execa('unshare', ['--net', '--', process.execPath, LAB_CLI, 'host', 'prepare', '--json', '--nodes', '1', ...daemon.target], {
      reject: false,
      stdin: 'ignore',
    });
    expect(prepare.exitCode, prepare.stderr).toBe(0);
    result = jsonLines(String(prepare.stdout))[0] as unknown as HostPrepareResult;
  });

  afterAll(async () => {
    await daemon?.stop();
  });

  it('starts dockerd with the given config, socket and pid file, and makes privileged containers work', async () => {
    expect(result.docker.started).toBe(true);
    expect(result.changes.join('\n')).toMatch(/started dockerd .* in the background \(pid \d+/);
    expect(result.privileged.ok).toBe(true);
    expect((await daemon.docker(['info', '--format', '{{.DockerRootDir}}'])).stdout).toBe(config['data-root']);
    expect(JSON.parse(readFileSync(daemon.daemonJson, 'utf8'))).toMatchObject(config);
    const reset = await labJson<HostResetResult>(['host', 'reset', '--json', ...daemon.target]);
    expect(reset.hadState).toBe(true);
    expect(isProcessRunning(await daemon.pid())).toBe(true);
  });
});

describe('lab host prepare on the host daemon', () => {
  it('still has its default bridge after the second dockerds came and went', () => {
    expect(existsSync('/sys/class/net/docker0')).toBe(hostBridgeBefore);
  });

  it('changes nothing with --dry-run', async () => {
    const files = ['/etc/docker/daemon.json', '/usr/local/bin/kindlab-runc', '/etc/docker/kindlab-host-state.json'];
    const before = files.map(sha);
    const result = await runLab(['host', 'prepare', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Dry run(, nothing changed\. Would change:|: host already prepared, nothing would change\.)/m);
    expect(files.map(sha)).toEqual(before);
  });

  it('rejects a bad node count or path with a usage error before touching the host', async () => {
    const nodes = await runLab(['host', 'prepare', '--nodes', '0']);
    expect(nodes.exitCode).toBe(2);
    expect(nodes.stderr).toContain('expected a positive whole number of nodes');
    const path = await runLab(['host', 'reset', '--daemon-json', 'relative/daemon.json']);
    expect(path.exitCode).toBe(2);
    expect(path.stderr).toContain("option '--daemon-json <path>' argument 'relative/daemon.json' is invalid");
  });
});
