import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHostPrepare } from '../../../src/cli/host-command.js';
import { DAEMON_JSON } from '../../../src/host/ensure-privileged.js';
import { planHostPrepare, prepareHost, type HostPrepareDeps } from '../../../src/host/prepare-host.js';
import { FakeDockerd, FakeFilesystem, FakeRunner, fixture } from './fakes.js';

const PROJECT = '/project';
const SOURCE = `${PROJECT}/images/runtime-capfilter`;

/** A host in the state this project started from: dockerd runs, privileged fails, limits are low. */
function freshHost(kindPath: string): { deps: HostPrepareDeps; fs: FakeFilesystem; runner: FakeRunner; dockerd: FakeDockerd } {
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
  const isWrapperDefault = () => fs.files.get(DAEMON_JSON)?.toString().includes('"default-runtime": "kindlab-runc"') ?? false;
  let reloaded = false;
  const runner = new FakeRunner((command, args) => {
    if (command === kindPath) return { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' };
    if (command === 'go') {
      fs.files.set(args[args.indexOf('-o') + 1] as string, Buffer.from('wrapper'));
      return {};
    }
    if (command !== 'docker') return 'enoent';
    if (args[0] === 'info') return { stdout: fixture(reloaded && isWrapperDefault() ? 'docker-info-after.json' : 'docker-info-before.json') };
    if (args[0] === 'image') return images.has(args.at(-1) as string) ? { stdout: 'sha256:1\n' } : { exitCode: 1 };
    if (args[0] === 'import') {
      images.add(args.at(-1) as string);
      return {};
    }
    if (args[0] === 'run') {
      if (!(reloaded && isWrapperDefault())) return { exitCode: 125, stderr: fixture('docker-run-privileged-caps-failure.stderr') };
      return { stdout: args.includes('-d') ? 'c1\n' : '' };
    }
    return {};
  });
  const dockerd = new FakeDockerd(7426, (event) => {
    if (event === 'reload') reloaded = true;
  });
  const deps: HostPrepareDeps = { runner, fs, dockerd, isRoot: true, projectRoot: PROJECT, binDir: '/home/bin', home: '/home', pollIntervalMs: 1 };
  return { deps, fs, runner, dockerd };
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
      expect.stringMatching(/^installed the runtime wrapper \/usr\/local\/bin\/kindlab-runc .* lacks CAP_SYS_RESOURCE/),
      'registered kindlab-runc in /etc/docker/daemon.json and reloaded dockerd (SIGHUP)',
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
    expect(plan.steps.map((s) => s.title)).toEqual(['Docker daemon', 'Privileged containers', 'kind', 'Host limits (cgroups, inotify, /lib/modules, disk, memory)']);
    expect(() => plan.result()).toThrow(/has not run/);
    const summaries = [];
    for (const step of plan.steps) summaries.push(await step.run());
    expect(summaries[1]).toBe('work through kindlab-runc (installed)');
    expect(plan.result().inotify.nodes).toBe(1);
  });
});
