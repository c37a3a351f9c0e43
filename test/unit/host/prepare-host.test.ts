import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHostPrepare } from '../../../src/cli/host-command.js';
import { planHostPrepare, prepareHost, type HostPrepareDeps } from '../../../src/host/prepare-host.js';
import { resetHost, type HostResetDeps } from '../../../src/host/reset-host.js';
import { FakeDockerd, FakeFilesystem, FakeRunner, fixture, PATHS } from './fakes.js';

const DAEMON_JSON = PATHS.daemonJson;

const PROJECT = '/project';
const SOURCE = `${PROJECT}/images/runtime-capfilter`;

/** A host in the state this project started from: dockerd runs, privileged fails, limits are low. */
function freshHost(kindPath: string): {
  deps: HostPrepareDeps;
  fs: FakeFilesystem;
  runner: FakeRunner;
  dockerd: FakeDockerd;
  containers: { recorded: boolean };
} {
  const fs = new FakeFilesystem({
    '/bin/busybox': 'busybox',
    '/proc/self/status': fixture('proc-self-status.txt'),
    '/proc/self/mountinfo': fixture('proc-self-mountinfo.txt'),
    '/proc/sys/kernel/cap_last_cap': fixture('cap-last-cap.txt'),
    '/proc/sys/fs/inotify/max_user_watches': '192536\n',
    '/proc/sys/fs/inotify/max_user_instances': '128\n',
    '/proc/meminfo': 'MemTotal:       24684084 kB\nMemAvailable:   23761396 kB\n',
    [`${SOURCE}/main.go`]: 'package main',
  });
  const images = new Set<string>();
  // `docker ps -aq` and `docker inspect` answers, recorded (test/fixtures/host/README.md) once containers are added.
  const containers = { recorded: false };
  // The default runtime dockerd has loaded: daemon.json's, as of the last reload.
  let loaded = 'runc';
  const isWrapperDefault = () => loaded === 'kindlab-runc';
  const runner = new FakeRunner((command, args) => {
    if (command === kindPath) return { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' };
    if (command === 'go') {
      fs.files.set(args[args.indexOf('-o') + 1] as string, Buffer.from('wrapper'));
      return {};
    }
    if (command !== 'docker') return 'enoent';
    if (args[0] === 'info') return { stdout: fixture(isWrapperDefault() ? 'docker-info-after.json' : 'docker-info-before.json') };
    if (args[0] === 'ps') return { stdout: containers.recorded ? fixture('docker-ps-aq.txt') : '' };
    if (args[0] === 'inspect') return { stdout: containers.recorded ? fixture('docker-inspect-runtime.txt') : '' };
    if (args[0] === 'image') return images.has(args.at(-1) as string) ? { stdout: 'sha256:1\n' } : { exitCode: 1 };
    if (args[0] === 'import') {
      images.add(args.at(-1) as string);
      return {};
    }
    if (args[0] === 'run') {
      if (!isWrapperDefault()) return { exitCode: 125, stderr: fixture('docker-run-privileged-caps-failure.stderr') };
      return { stdout: args.includes('-d') ? 'c1\n' : '' };
    }
    return {};
  });
  const dockerd = new FakeDockerd(7426, (event) => {
    if (event === 'reload') loaded = JSON.parse(fs.files.get(DAEMON_JSON)?.toString() ?? '{}')['default-runtime'] ?? 'runc';
  });
  const deps: HostPrepareDeps = {
    runner,
    fs,
    dockerd,
    isRoot: true,
    projectRoot: PROJECT,
    paths: PATHS,
    home: '/home',
    pollIntervalMs: 1,
    now: () => new Date('2026-11-30T05:10:00Z'),
  };
  return { deps, fs, runner, dockerd, containers };
}

function resetDeps(deps: HostPrepareDeps): HostResetDeps {
  return { ...deps, dockerdLogFile: '/home/logs/dockerd.log', dockerdArgs: [] };
}

describe('prepareHost', () => {
  const saved = { PATH: process.env.PATH, KINDLAB_HOME: process.env.KINDLAB_HOME, KINDLAB_KIND: process.env.KINDLAB_KIND };
  let kindPath: string;

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'kindlab-prepare-'));
    mkdirSync(join(root, 'path'));
    kindPath = join(root, 'path', 'kind');
    writeFileSync(kindPath, '#!/bin/sh\n');
    chmodSync(kindPath, 0o755);
    process.env.PATH = join(root, 'path');
    process.env.KINDLAB_HOME = join(root, 'home');
    delete process.env.KINDLAB_KIND;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('fixes the host, says what and why, and changes nothing the second time', async () => {
    const { deps, fs } = freshHost(kindPath);
    const first = await prepareHost(deps, { nodes: 4 });
    expect(first.changed).toBe(true);
    expect(first.changes).toEqual([
      expect.stringMatching(/^imported the probe image kindlab\/host-probe:/),
      'installed the runtime wrapper /usr/local/bin/kindlab-runc: privileged containers failed because the bounding set lacks CAP_SYS_RESOURCE',
      'made kindlab-runc Docker\'s default runtime in /etc/docker/daemon.json, wrapping the previous default "runc" (+ runtimes.kindlab-runc: {"path":"/usr/local/bin/kindlab-runc"}; + default-runtime: "kindlab-runc"; the file is new)',
      'reloaded dockerd (pid 7426) with SIGHUP to load daemon.json; its containers kept running',
      'raised fs.inotify.max_user_watches from 192536 to 524288 (4 nodes need 524288)',
      'raised fs.inotify.max_user_instances from 128 to 512 (4 nodes need 512)',
      expect.stringMatching(/^created an empty \/lib\/modules/),
    ]);
    expect(first.docker).toMatchObject({ serverVersion: '20.10.24+dfsg1', defaultRuntime: 'kindlab-runc', started: false });
    expect(first.kind).toEqual({ path: kindPath, version: 'v0.30.0', installed: false });
    const text = formatHostPrepare(first);
    expect(text).toContain('Why kindlab-runc:');
    expect(text).toContain('unable to apply caps: operation not permitted');
    expect(text).toMatch(/cgroup\s+hybrid \(cgroup2 at \/sys\/fs\/cgroup\/unified\)/);

    const writesAfterFirst = fs.writes.length;
    const second = await prepareHost(deps, { nodes: 4 });
    expect(second.changed).toBe(false);
    expect(second.changes).toEqual([]);
    expect(fs.writes.length).toBe(writesAfterFirst);
    expect(formatHostPrepare(second)).toMatch(/^Host already prepared: nothing changed\./);
  });

  it('exposes the same work as titled steps for progress output', async () => {
    const { deps } = freshHost(kindPath);
    const plan = planHostPrepare(deps, { nodes: 1 });
    expect(plan.steps.map((s) => s.title)).toEqual([
      'Docker daemon',
      'Privileged containers',
      'kind',
      'Host limits (cgroups, inotify, /lib/modules, disk, memory)',
    ]);
    expect(() => plan.result()).toThrow(/has not run/);
    const summaries = [];
    for (const step of plan.steps) summaries.push(await step.run());
    expect(summaries[1]).toBe('work through kindlab-runc wrapping runc (installed)');
    expect(plan.result().inotify.nodes).toBe(1);
  });

  it('changes nothing in a dry run: no file, no sysctl, no image, no signal', async () => {
    const { deps, fs, runner, dockerd } = freshHost(kindPath);
    const result = await prepareHost(deps, { nodes: 4, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.changes).toEqual([
      expect.stringMatching(/^would install \/usr\/local\/bin\/kindlab-runc and make kindlab-runc Docker's default runtime, if/),
      'would change /etc/docker/daemon.json (after a backup): + runtimes.kindlab-runc: {"path":"/usr/local/bin/kindlab-runc"}; + default-runtime: "kindlab-runc"',
      'would reload dockerd (SIGHUP; containers keep running)',
      'would raise fs.inotify.max_user_watches from 192536 to 524288 (4 nodes need 524288)',
      'would raise fs.inotify.max_user_instances from 128 to 512 (4 nodes need 512)',
      expect.stringMatching(/^would create an empty \/lib\/modules/),
    ]);
    expect(fs.writes).toEqual([]);
    expect(fs.dirs.size).toBe(0);
    expect(dockerd.events).toEqual([]);
    expect(runner.argv().filter((a) => !a.startsWith('docker info') && !a.startsWith(kindPath))).toEqual([]);
    expect(formatHostPrepare(result)).toMatch(/^Dry run, nothing changed\. Would change:/);
  });

  it('reset undoes exactly what prepare changed and leaves dockerd running', async () => {
    const { deps, fs, dockerd } = freshHost(kindPath);
    fs.files.set(DAEMON_JSON, Buffer.from('{"log-level":"warn"}'));
    await prepareHost(deps, { nodes: 4 });
    expect(JSON.parse(fs.files.get(PATHS.stateFile)!.toString())).toMatchObject({
      sysctls: [
        { name: 'fs.inotify.max_user_watches', previous: 192536, set: 524288 },
        { name: 'fs.inotify.max_user_instances', previous: 128, set: 512 },
      ],
      createdDirs: ['/lib/modules'],
    });

    const dry = await resetHost(resetDeps(deps), { dryRun: true });
    expect(dry.changes.every((c) => c.startsWith('would '))).toBe(true);
    expect(fs.files.has(PATHS.wrapperPath)).toBe(true);

    const reset = await resetHost(resetDeps(deps));
    expect(reset.changes).toEqual([
      expect.stringMatching(
        /^restored Docker's default runtime "runc" in \/etc\/docker\/daemon.json \(- runtimes.kindlab-runc: .*; ~ default-runtime: "kindlab-runc" -> "runc"; backup \/etc\/docker\/daemon.json.kindlab-backup-/,
      ),
      'reloaded dockerd (pid 7426) with SIGHUP to load daemon.json; its containers kept running',
      'removed the runtime wrapper /usr/local/bin/kindlab-runc',
      'restored fs.inotify.max_user_watches from 524288 to 192536',
      'restored fs.inotify.max_user_instances from 512 to 128',
      'removed the empty /lib/modules',
    ]);
    expect(JSON.parse(fs.files.get(DAEMON_JSON)!.toString())).toEqual({ 'log-level': 'warn', 'default-runtime': 'runc' });
    expect(fs.files.has(PATHS.wrapperPath)).toBe(false);
    expect(fs.files.get('/proc/sys/fs/inotify/max_user_watches')?.toString()).toBe('192536\n');
    expect(fs.files.has(PATHS.stateFile)).toBe(false);
    expect(dockerd.events).toEqual(['reload 7426', 'reload 7426']);
    expect(await resetHost(resetDeps(deps))).toMatchObject({ hadState: false, changes: [] });
  });

  it('reset refuses while containers use the wrapper runtime, and leaves a sysctl someone changed since', async () => {
    const { deps, fs, containers } = freshHost(kindPath);
    await prepareHost(deps, { nodes: 4 });
    containers.recorded = true;
    const daemonJson = fs.files.get(DAEMON_JSON)?.toString();
    await expect(resetHost(resetDeps(deps))).rejects.toMatchObject({
      message: 'failed to reset the host: 1 container(s) use the kindlab-runc runtime (89893a06d2ad)',
      hint: expect.stringContaining('docker rm -f'),
    });
    expect(fs.files.get(DAEMON_JSON)?.toString()).toBe(daemonJson);
    expect(fs.files.has(PATHS.wrapperPath)).toBe(true);

    containers.recorded = false;
    fs.files.set('/proc/sys/fs/inotify/max_user_watches', Buffer.from('1048576\n'));
    const reset = await resetHost(resetDeps(deps));
    expect(reset.warnings).toEqual(['left fs.inotify.max_user_watches at 1048576: it changed since prepare set it to 524288']);
  });

  it('reset refuses to restore a default runtime whose entry is gone (a dockerd reload could panic on it)', async () => {
    const { deps, fs, dockerd } = freshHost(kindPath);
    fs.files.set(DAEMON_JSON, Buffer.from('{"runtimes":{"custom":{"path":"/usr/sbin/runc"}},"default-runtime":"custom"}'));
    await prepareHost(deps, { nodes: 4 });
    const config = JSON.parse(fs.files.get(DAEMON_JSON)!.toString());
    delete config.runtimes.custom;
    fs.files.set(DAEMON_JSON, Buffer.from(JSON.stringify(config)));
    await expect(resetHost(resetDeps(deps))).rejects.toThrow(
      /^failed to reset the host: the recorded default runtime "custom" has no entry under runtimes in \/etc\/docker\/daemon.json any more$/,
    );
    expect(JSON.parse(fs.files.get(DAEMON_JSON)!.toString())).toEqual(config);
    expect(dockerd.events).toEqual(['reload 7426']);
  });

  it('does not reload or restart a dockerd it cannot find: it says what to do', async () => {
    const { deps, dockerd } = freshHost(kindPath);
    (dockerd as unknown as { running: number | undefined }).running = undefined;
    await expect(prepareHost(deps, { nodes: 4, restartDocker: true })).rejects.toMatchObject({
      message: 'failed to reload dockerd: no running dockerd in its pid file /var/run/docker.pid',
      hint: expect.stringContaining('--dockerd-pidfile'),
    });
    expect(dockerd.events).toEqual([]);
  });

  it('reset refuses a state file that names paths prepare never changes, or that others can write', async () => {
    const { deps, fs } = freshHost(kindPath);
    await prepareHost(deps, { nodes: 4 });
    const good = fs.files.get(PATHS.stateFile)!;
    const forged = JSON.parse(good.toString());
    forged.wrapperInstalled = '/usr/bin/sudo';
    forged.sysctls[0].path = '/etc/shadow';
    fs.files.set(PATHS.stateFile, Buffer.from(JSON.stringify(forged)));
    await expect(resetHost(resetDeps(deps))).rejects.toThrow(
      /names what prepare never changes: wrapper \/usr\/bin\/sudo \(expected \/usr\/local\/bin\/kindlab-runc\), sysctl path \/etc\/shadow$/,
    );
    fs.files.set(PATHS.stateFile, good);
    fs.modes.set('/etc/docker', 0o777);
    await expect(resetHost(resetDeps(deps))).rejects.toThrow(
      /^refusing to use \/etc\/docker as the directory of kindlab's host state: \/etc\/docker is writable by group or others/,
    );
    expect(fs.files.has(PATHS.wrapperPath)).toBe(true);
    expect(fs.removed).toEqual([]);
  });
});
