import { describe, expect, it } from 'vitest';
import { readDockerInfo, type DockerInfo } from '../../../src/host/docker-info.js';
import { DAEMON_JSON, ensurePrivileged, type PrivilegedDeps } from '../../../src/host/ensure-privileged.js';
import { RUNTIME_WRAPPER_PATH } from '../../../src/host/runtime-wrapper.js';
import { FakeDockerd, FakeFilesystem, FakeRunner, fixture } from './fakes.js';

const BEFORE = fixture('docker-info-before.json');
const AFTER = fixture('docker-info-after.json');
const RUN_FAILURE = fixture('docker-run-privileged-caps-failure.stderr');
const SOURCE = '/project/images/runtime-capfilter';
const BIN = '/home/bin';

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

/** A docker that fails privileged containers until its default runtime is the wrapper. */
function fakeDocker(fs: FakeFilesystem, state: { defaultRuntime: string; probeImagePresent?: boolean; privilegedAlwaysFails?: string }) {
  return new FakeRunner((command, args) => {
    if (command === 'go') {
      const output = args[args.indexOf('-o') + 1] as string;
      fs.files.set(output, Buffer.from('wrapper-binary'));
      return {};
    }
    if (command === 'apt-get') return {};
    if (command !== 'docker') return 'enoent';
    const [sub] = args;
    if (sub === 'info') return { stdout: state.defaultRuntime === 'kindlab-runc' ? AFTER : BEFORE };
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

function deps(runner: FakeRunner, fs: FakeFilesystem, dockerd: FakeDockerd, isRoot = true): PrivilegedDeps {
  return { runner, fs, dockerd, isRoot, wrapperSourceDir: SOURCE, binDir: BIN, workDir: '/home', dockerdLogFile: '/home/logs/dockerd.log', pollIntervalMs: 1 };
}

async function info(json: string): Promise<DockerInfo> {
  return (await readDockerInfo(new FakeRunner(() => ({ stdout: json }))))!;
}

describe('ensurePrivileged', () => {
  it('installs the wrapper where privileged fails with the caps error, merges daemon.json and reloads dockerd', async () => {
    const fs = hostFiles({ [DAEMON_JSON]: '{"log-level":"warn"}' });
    const state = { defaultRuntime: 'runc' };
    const runner = fakeDocker(fs, state);
    const dockerd = new FakeDockerd(7426, (event) => {
      if (event === 'reload') state.defaultRuntime = JSON.parse(fs.files.get(DAEMON_JSON)!.toString())['default-runtime'];
    });

    const outcome = await ensurePrivileged(deps(runner, fs, dockerd), await info(BEFORE));

    const argv = runner.argv();
    const image = argv.find((a) => a.startsWith('docker import'))!.split(' ').at(-1)!;
    expect(image).toMatch(/^kindlab\/host-probe:[0-9a-f]{12}$/);
    expect(argv).toContain(`docker run --rm --privileged --label dev.kindlab.component=host-probe ${image} true`);
    const goBuild = runner.calls.find((c) => c.command === 'go')!;
    expect(goBuild.args).toEqual(['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', expect.stringMatching(/^\/home\/bin\/kindlab-runc-[0-9a-f]{16}$/), '.']);
    expect(goBuild.options).toMatchObject({ cwd: SOURCE, env: { CGO_ENABLED: '0' } });
    expect(fs.installed).toEqual([{ from: goBuild.args[5], to: RUNTIME_WRAPPER_PATH }]);
    expect(JSON.parse(fs.files.get(DAEMON_JSON)!.toString())).toEqual({
      'log-level': 'warn',
      runtimes: { 'kindlab-runc': { path: RUNTIME_WRAPPER_PATH } },
      'default-runtime': 'kindlab-runc',
    });
    expect(dockerd.events).toEqual(['reload 7426']);
    // Probed again after the fix: run, then a detached container to exec into.
    expect(argv.filter((a) => a.includes('--privileged'))).toEqual([
      `docker run --rm --privileged --label dev.kindlab.component=host-probe ${image} true`,
      `docker run --rm --privileged --label dev.kindlab.component=host-probe ${image} true`,
      `docker run -d --privileged --label dev.kindlab.component=host-probe ${image} sleep 300`,
      'docker exec --privileged c0ffee /bin/busybox true',
    ]);
    expect(argv.at(-1)).toBe('docker rm -f c0ffee');
    expect(outcome.state).toMatchObject({ ok: true, missingCapabilities: ['CAP_SYS_RESOURCE'], wrapper: { action: 'installed', dockerdReload: 'sighup' } });
    expect(outcome.state.failureBefore).toContain('unable to apply caps: operation not permitted');
    expect(outcome.state.failureBefore).not.toContain("Run 'docker run --help'");
    expect(outcome.changes.join('\n')).toMatch(/installed the runtime wrapper .* lacks CAP_SYS_RESOURCE/);
    expect(outcome.info.defaultRuntime).toBe('kindlab-runc');
  });

  it('restarts dockerd when SIGHUP does not switch the default runtime', async () => {
    const fs = hostFiles();
    const state = { defaultRuntime: 'runc' };
    const runner = fakeDocker(fs, state);
    const dockerd = new FakeDockerd(7426, (event) => {
      if (event === 'start') state.defaultRuntime = 'kindlab-runc';
    });
    const outcome = await ensurePrivileged({ ...deps(runner, fs, dockerd), reloadTimeoutMs: 10 }, await info(BEFORE));
    expect(dockerd.events).toEqual(['reload 7426', 'stop 7426', 'start /home/logs/dockerd.log']);
    expect(outcome.state.wrapper?.dockerdReload).toBe('restart');
  });

  it('installs nothing where privileged containers already work', async () => {
    const fs = hostFiles({ '/proc/self/status': fixture('proc-self-status.txt').replace(/^CapBnd:.*$/m, 'CapBnd:\t000001ffffffffff') });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true });
    const outcome = await ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), { ...(await info(BEFORE)) });
    expect(outcome.state).toMatchObject({ ok: true, wrapper: undefined, missingCapabilities: [] });
    expect(outcome.changes).toEqual([]);
    expect(runner.calls.some((c) => c.command === 'go' || c.args[0] === 'import')).toBe(false);
    expect(fs.writes).toEqual([]);
  });

  it('is a no-op on the second run: wrapper already default and up to date', async () => {
    const fs = hostFiles({ [RUNTIME_WRAPPER_PATH]: 'wrapper-binary' });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true });
    const dockerd = new FakeDockerd(1);
    const outcome = await ensurePrivileged(deps(runner, fs, dockerd), await info(AFTER));
    expect(outcome.changes).toEqual([]);
    expect(outcome.state.wrapper?.action).toBe('unchanged');
    expect(fs.installed).toEqual([]);
    expect(dockerd.events).toEqual([]);
  });

  it('updates an installed wrapper whose binary differs from the current source', async () => {
    const fs = hostFiles({ [RUNTIME_WRAPPER_PATH]: 'older-wrapper' });
    const runner = fakeDocker(fs, { defaultRuntime: 'kindlab-runc', probeImagePresent: true });
    const outcome = await ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(AFTER));
    expect(outcome.state.wrapper?.action).toBe('updated');
    expect(fs.files.get(RUNTIME_WRAPPER_PATH)?.toString()).toBe('wrapper-binary');
  });

  it('fails clearly, without installing, when privileged fails for another reason', async () => {
    const fs = hostFiles();
    const runner = fakeDocker(fs, { defaultRuntime: 'runc', privilegedAlwaysFails: 'docker: Error response from daemon: something else.' });
    await expect(ensurePrivileged(deps(runner, fs, new FakeDockerd(1)), await info(BEFORE))).rejects.toThrow(/privileged containers fail on this host:\n.*\n.*something else/);
    expect(fs.installed).toEqual([]);
    expect(fs.writes.filter((w) => w === DAEMON_JSON)).toEqual([]);
  });

  it('fails when the wrapper is installed and privileged still fails', async () => {
    const fs = hostFiles({ [RUNTIME_WRAPPER_PATH]: 'wrapper-binary' });
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
