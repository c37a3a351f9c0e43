import { describe, expect, it } from 'vitest';
import { readDockerInfo, type DockerInfo } from '../../../src/host/docker-info.js';
import { ensurePrivileged, type PrivilegedDeps } from '../../../src/host/ensure-privileged.js';
import { FakeDockerd, FakeFilesystem, FakeRunner, fixture, PATHS } from './fakes.js';

const BEFORE = fixture('docker-info-before.json');
const AFTER = fixture('docker-info-after.json');
const RUN_FAILURE = fixture('docker-run-privileged-caps-failure.stderr');
const SOURCE = '/project/images/runtime-capfilter';
const { daemonJson: DAEMON_JSON, wrapperPath: WRAPPER, stateFile: STATE, buildDir: BUILD } = PATHS;
const NOW = new Date('2026-11-30T05:10:00.123Z');
const BACKUP = `${DAEMON_JSON}.kindlab-backup-2026-11-30T051000Z`;

function hostFiles(extra: Record<string, string> = {}): FakeFilesystem {
  return new FakeFilesystem({
    '/bin/busybox': 'busybox-bytes',
    '/proc/self/status': fixture('proc-self-status.txt'),
    '/proc/sys/kernel/cap_last_cap': fixture('cap-last-cap.txt'),
    [`${SOURCE}/main.go`]: 'package main',
    [`${SOURCE}/go.mod`]: 'module kindlab/runtime-capfilter',
    ...extra,
  });
}

/** A docker that fails privileged containers until its default runtime is the wrapper; `infoHangs` makes `docker info` fail as a slow daemon does. */
function fakeDocker(fs: FakeFilesystem, state: { defaultRuntime: string; probeImagePresent?: boolean; privilegedAlwaysFails?: string; infoHangs?: boolean }) {
  return new FakeRunner((command, args) => {
    if (command === 'go') {
      const output = args[args.indexOf('-o') + 1] as string;
      fs.files.set(output, Buffer.from('wrapper-binary'));
      return {};
    }
    if (command === 'apt-get') return {};
    if (command !== 'docker') return 'enoent';
    const [sub] = args;
    if (sub === 'info') {
      if (state.infoHangs) return { exitCode: 1, stderr: 'context deadline exceeded' };
      return {
        stdout: (state.defaultRuntime === 'kindlab-runc' ? AFTER : BEFORE).replace(/"DefaultRuntime":"[^"]*"/, `"DefaultRuntime":"${state.defaultRuntime}"`),
      };
    }
    if (sub === 'image') return state.probeImagePresent ? { stdout: 'sha256:abc\n' } : { exitCode: 1, stderr: 'Error: No such image' };
    if (sub === 'import') return { stdout: 'sha256:def\n' };
    if (sub === 'run' && args.includes('--privileged')) {
      if (state.privilegedAlwaysFails) return { exitCode: 125, stderr: state.privilegedAlwaysFails };
      if (state.defaultRuntime !== 'kindlab-runc') return { exitCode: 125, stderr: RUN_FAILURE };
      return { stdout: args.includes('-d') ? 'c0ffee\n' : '' };
    }
    return {};
  });
}

/** A dockerd whose SIGHUP loads daemon.json's default-runtime into `state`. */
function reloadingDockerd(fs: FakeFilesystem, state: { defaultRuntime: string }): FakeDockerd {
  return new FakeDockerd(7426, (event) => {
    if (event === 'reload') state.defaultRuntime = JSON.parse(fs.files.get(DAEMON_JSON)?.toString() ?? '{}')['default-runtime'] ?? 'runc';
  });
}

function deps(runner: FakeRunner, fs: FakeFilesystem, dockerd: FakeDockerd, extra: Partial<PrivilegedDeps> = {}): PrivilegedDeps {
  return {
    runner,
    fs,
    dockerd,
    isRoot: true,
    paths: PATHS,
    wrapperSourceDir: SOURCE,
    workDir: '/home',
    dockerdLogFile: '/home/logs/dockerd.log',
    dockerdArgs: [],
    dryRun: false,
    restartDocker: false,
    now: () => NOW,
    pollIntervalMs: 1,
    ...extra,
  };
}

async function info(json: string): Promise<DockerInfo> {
  return (await readDockerInfo(new FakeRunner(() => ({ stdout: json }))))!;
}

const daemonJson = (fs: FakeFilesystem) => JSON.parse(fs.files.get(DAEMON_JSON)!.toString());

describe('ensurePrivileged', () => {
  it('installs the wrapper where privileged fails with the caps error: backup, atomic write, state, reload', async () => {
    const original = '{"log-level":"warn","runtimes":{"custom":{"path":"/usr/sbin/runc"}},"default-runtime":"custom"}';
    const fs = hostFiles({ [DAEMON_JSON]: original });
    fs.modes.set(DAEMON_JSON, 0o640);
    const state = { defaultRuntime: 'custom' };
    const runner = fakeDocker(fs, state);
    const dockerd = reloadingDockerd(fs, state);

    const outcome = await ensurePrivileged(deps(runner, fs, dockerd), await info(BEFORE));

    const argv = runner.argv();
    const image = argv
      .find((a) => a.startsWith('docker import'))!
      .split(' ')
      .at(-1)!;
    expect(image).toMatch(/^kindlab\/host-probe:[0-9a-f]{12}$/);
    const goBuild = runner.calls.find((c) => c.command === 'go')!;
    // Root builds in its own directory with its own Go cache, never under $KINDLAB_HOME.
    expect(goBuild.args).toEqual([
      'build',
      '-trimpath',
      '-buildvcs=false',
      '-ldflags=-s -w',
      '-o',
      expect.stringMatching(/^\/var\/cache\/kindlab\/runtime-wrapper\/kindlab-runc-[0-9a-f]{16}$/),
      '.',
    ]);
    expect(goBuild.options).toMatchObject({ cwd: SOURCE, env: { CGO_ENABLED: '0', GOENV: 'off', GOCACHE: `${BUILD}/go-cache` } });
    expect(fs.files.get(WRAPPER)?.toString()).toBe('wrapper-binary');
    // The earlier keys and the custom runtime stay; the wrapper execs custom's path.
    expect(daemonJson(fs)).toEqual({
      'log-level': 'warn',
      runtimes: { custom: { path: '/usr/sbin/runc' }, 'kindlab-runc': { path: WRAPPER, runtimeArgs: ['--kindlab-runtime=/usr/sbin/runc'] } },
      'default-runtime': 'kindlab-runc',
    });
    expect(fs.files.get(BACKUP)?.toString()).toBe(original);
    expect(fs.atomicWrites).toEqual(
      expect.arrayContaining([
        { path: WRAPPER, mode: 0o755 },
        { path: BACKUP, mode: 0o600 },
        { path: DAEMON_JSON, mode: 0o640 },
        { path: STATE, mode: 0o600 },
      ]),
    );
    // Not one plain (non-atomic) write of daemon.json, the state or the wrapper.
    expect(fs.writes.filter((w) => [DAEMON_JSON, STATE, WRAPPER].includes(w)).length).toBe(
      fs.atomicWrites.filter((w) => [DAEMON_JSON, STATE, WRAPPER].includes(w.path)).length,
    );
    expect(JSON.parse(fs.files.get(STATE)!.toString())).toMatchObject({
      wrapperInstalled: WRAPPER,
      runtime: { name: 'kindlab-runc', defaultRuntime: 'custom', wrapperEntry: null, hadRuntimes: true, adopted: false, backup: BACKUP },
    });
    expect(dockerd.events).toEqual(['reload 7426']);
    expect(argv.filter((a) => a.includes('--privileged'))).toEqual([
      `docker run --rm --privileged --label dev.kindlab.component=host-probe ${image} true`,
      `docker run --rm --privileged --label dev.kindlab.component=host-probe ${image} true`,
      `docker run -d --privileged --label dev.kindlab.component=host-probe ${image} sleep 300`,
      'docker exec --privileged c0ffee /bin/busybox true',
    ]);
    expect(outcome.state).toMatchObject({
      ok: true,
      missingCapabilities: ['CAP_SYS_RESOURCE'],
      wrapper: { action: 'installed', dockerdReload: 'sighup', wraps: '/usr/sbin/runc' },
    });
    expect(outcome.changes.join('\n')).toContain(`wrapping the previous default "custom"`);
    expect(outcome.changes.join('\n')).toContain(`backup ${BACKUP}`);
    expect(outcome.changes.at(-1)).toBe('reloaded dockerd (pid 7426) with SIGHUP to load daemon.json; its containers kept running');
  });

  it('keeps an nvidia-like default runtime: the wrapper wraps it', async () => {
    const nvidia = { path: '/usr/bin/nvidia-container-runtime', runtimeArgs: ['--log=/var/log/nv.log'] };
    const fs = hostFiles({ [DAEMON_JSON]: JSON.stringify({ runtimes: { nvidia }, 'default-runtime': 'nvidia' }) });
    const state = { defaultRuntime: 'nvidia' };
    const outcome = await ensurePrivileged(deps(fakeDocker(fs, state), fs, reloadingDockerd(fs, state)), await info(BEFORE));
    expect(daemonJson(fs).runtimes).toEqual({
      nvidia,
      'kindlab-runc': { path: WRAPPER, runtimeArgs: ['--kindlab-runtime=/usr/bin/nvidia-container-runtime', '--kindlab-runtime-arg=--log=/var/log/nv.log'] },
    });
    expect(JSON.parse(fs.files.get(STATE)!.toString()).runtime.defaultRuntime).toBe('nvidia');
    expect(outcome.state.wrapper?.wraps).toBe('/usr/bin/nvidia-container-runtime');
  });

  it('never stops dockerd when docker info is slow after the reload: it says so, with a hint', async () => {
    const fs = hostFiles({ [DAEMON_JSON]: '{"debug":true}' });
    const state = { defaultRuntime: 'runc', infoHangs: false };
    const runner = fakeDocker(fs, state);
    const dockerd = new FakeDockerd(7426, (event) => {
      if (event === 'reload') state.infoHangs = true;
    });
    const error = await ensurePrivileged(deps(runner, fs, dockerd, { reloadTimeoutMs: 20 }), await info(BEFORE)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: expect.stringMatching(
        /^dockerd \(pid 7426\) did not switch its default runtime to "kindlab-runc" within 0.02s of a reload \(SIGHUP\): `docker info` did not answer; it was not restarted$/,
      ),
      hint: expect.stringContaining('--restart-docker'),
    });
    expect(dockerd.events).toEqual(['reload 7426']);
  });

  it('restarts dockerd only with --restart-docker when SIGHUP does not switch the default runtime', async () => {
    const fs = hostFiles();
    const state = { defaultRuntime: 'runc' };
    const runner = fakeDocker(fs, state);
    const dockerd = new FakeDockerd(7426, (event) => {
      if (event === 'start') state.defaultRuntime = 'kindlab-runc';
    });
    const outcome = await ensurePrivileged(
      deps(runner, fs, dockerd, { reloadTimeoutMs: 10, restartDocker: true, dockerdArgs: ['--pidfile', '/x.pid'] }),
      await info(BEFORE),
    );
    expect(dockerd.events).toEqual(['reload 7426', 'stop 7426', 'start /home/logs/dockerd.log --pidfile /x.pid']);
    expect(outcome.state.wrapper?.dockerdReload).toBe('restart');
  });

  it('refuses, before changing anything, to build in a directory another user can write', async () => {
    for (const [path, owner, mode] of [
      ['/var/cache/kindlab', 1000, 0o755],
      ['/var/cache', 0, 0o777],
      [BUILD, 0, 0o775],
    ] as const) {
      const fs = hostFiles({ [DAEMON_JSON]: '{}' });
      fs.dirs.add(path);
      fs.owners.set(path, owner);
      fs.modes.set(path, mode);
      const state = { defaultRuntime: 'runc' };
      const runner = fakeDocker(fs, state);
      const error = await ensurePrivileged(deps(runner, fs, reloadingDockerd(fs, state)), await info(BEFORE)).catch((e: unknown) => e);
      expect(error).toMatchObject({
        message: expect.stringMatching(
          new RegExp(`^refusing to use ${BUILD} as the runtime wrapper build directory: ${path} is (owned by uid 1000|writable by group or others)`),
        ),
      });
      expect(runner.calls.some((c) => c.command === 'go')).toBe(false);
      expect(fs.files.has(WRAPPER)).toBe(false);
      expect(fs.files.get(DAEMON_JSON)?.toString()).toBe('{}');
      expect(fs.files.has(STATE)).toBe(false);
    }
  });

  it('refuses to install into a directory another user can write; a sticky /tmp above the build dir is fine', async () => {
    const fs = hostFiles();
    fs.dirs.add('/usr/local/bin');
    fs.modes.set('/usr/local/bin', 0o777);
    const state = { defaultRuntime: 'runc' };
    await expect(
      ensurePrivileged(
        deps(fakeDocker(fs, state), fs, reloadingDockerd(fs, state), { paths: { ...PATHS, buildDir: '/tmp/kindlab-build' } }),
        await info(BEFORE),
      ),
    ).rejects.toThrow(
      /^refusing to use \/usr\/local\/bin as the runtime wrapper install directory: \/usr\/local\/bin is writable by group or others \(mode 0777\)$/,
    );
    expect(fs.files.has(WRAPPER)).toBe(false);
    const sticky = hostFiles();
    sticky.modes.set('/tmp', 0o1777);
    const stickyState = { defaultRuntime: 'runc' };
    await ensurePrivileged(
      deps(fakeDocker(sticky, stickyState), sticky, reloadingDockerd(sticky, stickyState), { paths: { ...PATHS, buildDir: '/tmp/kindlab-build' } }),
      await info(BEFORE),
    );
    expect(sticky.files.has(WRAPPER)).toBe(true);
  });

  it('changes nothing in a dry run, and says what it would change', async () => {
    const fs = hostFiles({ [DAEMON_JSON]: '{"runtimes":{"custom":{"path":"/usr/sbin/runc"}},"default-runtime":"custom"}' });
    const state = { defaultRuntime: 'custom' };
    const runner = fakeDocker(fs, state);
    const dockerd = reloadingDockerd(fs, state);
    const outcome = await ensurePrivileged(deps(runner, fs, dockerd, { dryRun: true }), await info(BEFORE));
    expect(fs.writes).toEqual([]);
    expect(fs.dirs.size).toBe(0);
    expect(dockerd.events).toEqual([]);
    expect(runner.argv()).toEqual([]);
    expect(outcome.changes).toEqual([
      `would install ${WRAPPER} and make kindlab-runc Docker's default runtime, if \`docker run --privileged\` fails (the bounding set lacks CAP_SYS_RESOURCE)`,
      `would change ${DAEMON_JSON} (after a backup): ~ default-runtime: "custom" -> "kindlab-runc"; + runtimes.kindlab-runc: {"path":"${WRAPPER}","runtimeArgs":["--kindlab-runtime=/usr/sbin/runc"]}`,
      'would reload dockerd (SIGHUP; containers keep running)',
    ]);
    expect(outcome.state.ok).toBeUndefined();
  });

  it('adopts an install by an older kindlab (wrapping runc) without touching daemon.json or dockerd, then is a no-op', async () => {
    const old = '{\n  "runtimes": {\n    "kindlab-runc": {\n      "path": "/usr/local/bin/kindlab-runc"\n    }\n  },\n  "default-runtime": "kindlab-runc"\n}\n';
    const fs = hostFiles({ [DAEMON_JSON]: old, [WRAPPER]: 'wrapper-binary' });
    const state = { defaultRuntime: 'kindlab-runc', probeImagePresent: true };
    const dockerd = new FakeDockerd(1);
    const dry = await ensurePrivileged(deps(fakeDocker(fs, state), fs, dockerd, { dryRun: true }), await info(AFTER));
    expect(dry.changes).toEqual([`would record the existing kindlab-runc install (wrapping runc) in ${STATE}, so \`lab host reset\` can undo it`]);
    expect(fs.files.has(STATE)).toBe(false);

    const first = await ensurePrivileged(deps(fakeDocker(fs, state), fs, dockerd), await info(AFTER));
    expect(first.changes).toEqual([`recorded the existing kindlab-runc install (wrapping runc) in ${STATE}, so \`lab host reset\` can undo it`]);
    expect(first.state.wrapper).toMatchObject({ action: 'unchanged', wraps: 'runc' });
    expect(fs.files.get(DAEMON_JSON)?.toString()).toBe(old);
    expect(JSON.parse(fs.files.get(STATE)!.toString()).runtime).toMatchObject({ adopted: true, defaultRuntime: null });

    const writes = fs.writes.length;
    const second = await ensurePrivileged(deps(fakeDocker(fs, state), fs, dockerd), await info(AFTER));
    expect(second.changes).toEqual([]);
    expect(fs.writes.length).toBe(writes);
    expect(dockerd.events).toEqual([]);
  });

  it('updates an installed wrapper whose binary differs from the current source', async () => {
    const fs = hostFiles({
      [DAEMON_JSON]: JSON.stringify({ runtimes: { 'kindlab-runc': { path: WRAPPER } }, 'default-runtime': 'kindlab-runc' }),
      [WRAPPER]: 'older-wrapper',
    });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true });
    const outcome = await ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(AFTER));
    expect(outcome.state.wrapper?.action).toBe('updated');
    expect(fs.files.get(WRAPPER)?.toString()).toBe('wrapper-binary');
    expect(fs.atomicWrites).toContainEqual({ path: WRAPPER, mode: 0o755 });
  });

  it('installs nothing where privileged containers already work', async () => {
    const fs = hostFiles({ '/proc/self/status': fixture('proc-self-status.txt').replace(/^CapBnd:.*$/m, 'CapBnd:\t000001ffffffffff') });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true });
    const outcome = await ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(BEFORE));
    expect(outcome.state).toMatchObject({ ok: true, wrapper: undefined, missingCapabilities: [] });
    expect(outcome.changes).toEqual([]);
    expect(runner.calls.some((c) => c.command === 'go' || c.args[0] === 'import')).toBe(false);
    expect(fs.writes).toEqual([]);
  });

  it('fails clearly, without installing, when privileged fails for another reason', async () => {
    const fs = hostFiles();
    const runner = fakeDocker(fs, { defaultRuntime: 'runc', privilegedAlwaysFails: 'docker: Error response from daemon: something else.' });
    await expect(ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(BEFORE))).rejects.toThrow(
      /privileged containers fail on this host:\n.*\n.*something else/,
    );
    expect(fs.files.has(WRAPPER)).toBe(false);
    expect(fs.writes.filter((w) => w === DAEMON_JSON)).toEqual([]);
  });

  it('fails when the wrapper is installed and privileged still fails', async () => {
    const fs = hostFiles({
      [DAEMON_JSON]: JSON.stringify({ runtimes: { 'kindlab-runc': { path: WRAPPER } }, 'default-runtime': 'kindlab-runc' }),
      [WRAPPER]: 'wrapper-binary',
    });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true, privilegedAlwaysFails: RUN_FAILURE });
    await expect(ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(AFTER))).rejects.toThrow(/even with kindlab-runc/);
  });

  it('installs busybox-static for the probe image when no busybox exists', async () => {
    const fs = hostFiles();
    fs.files.delete('/bin/busybox');
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc' });
    const base = runner.run.bind(runner);
    runner.run = async (command, args, options) => {
      const result = await base(command, args, options);
      if (command === 'apt-get' && args[0] === 'install') fs.files.set('/bin/busybox', Buffer.from('busybox'));
      return result;
    };
    const outcome = await ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(AFTER));
    expect(runner.argv().filter((a) => a.startsWith('apt-get'))).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends busybox-static']);
    expect(outcome.changes[0]).toMatch(/busybox-static/);
    expect(fs.writes).toContain('/home/host-probe.tar');
  });
});
