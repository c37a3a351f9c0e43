import { describe, expect, it } from 'vitest';
import { ensureDockerDaemon } from '../../../src/host/ensure-docker-daemon.js';
import { FakeDockerd, FakeFilesystem, FakeRunner, fixture } from './fakes.js';

const INFO = fixture('docker-info-before.json');
const LOG = '/home/kindlab/logs/dockerd.log';
/** The deps every case shares: root, the default pid file, dockerd's own default flags. */
const BASE = { isRoot: true, logFile: LOG, dockerdPidFile: '/var/run/docker.pid', dockerdArgs: [] as string[] };

describe('ensureDockerDaemon', () => {
  it('changes nothing when a daemon answers', async () => {
    const runner = new FakeRunner(() => ({ stdout: INFO }));
    const dockerd = new FakeDockerd(1);
    const outcome = await ensureDockerDaemon({ runner, fs: new FakeFilesystem(), dockerd, ...BASE });
    expect(outcome).toMatchObject({ installed: false, started: false, changes: [] });
    expect(outcome.info).toMatchObject({ serverVersion: '20.10.24+dfsg1', defaultRuntime: 'runc', rootDir: '/var/lib/docker' });
    expect(runner.argv()).toEqual(['docker info --format {{json .}}']);
    expect(dockerd.events).toEqual([]);
  });

  it("installs Debian's docker.io when dockerd is missing, starts it detached and waits", async () => {
    let started = false;
    const dockerd = new FakeDockerd(undefined, (event) => {
      if (event === 'start') started = true;
    });
    const runner = new FakeRunner((command) => {
      if (command === 'docker') return started ? { stdout: INFO } : 'enoent';
      return {};
    });
    const outcome = await ensureDockerDaemon({ runner, fs: new FakeFilesystem(), dockerd, ...BASE, pollIntervalMs: 1 });
    expect(runner.argv()).toEqual([
      'docker info --format {{json .}}',
      'apt-get update',
      'apt-get install -y --no-install-recommends docker.io',
      'docker info --format {{json .}}',
    ]);
    for (const call of runner.calls.filter((c) => c.command === 'apt-get')) expect(call.options.env).toMatchObject({ DEBIAN_FRONTEND: 'noninteractive' });
    expect(dockerd.events).toEqual([`start ${LOG}`]);
    expect(outcome).toMatchObject({ installed: true, started: true });
    expect(outcome.changes.join('\n')).toMatch(/started dockerd 20.10.24\+dfsg1 .*dockerd.log/);
  });

  it('starts an installed dockerd without apt', async () => {
    let started = false;
    const dockerd = new FakeDockerd(undefined, () => (started = true));
    const fs = new FakeFilesystem();
    fs.executables.set('dockerd', '/usr/sbin/dockerd').set('docker', '/usr/bin/docker');
    const runner = new FakeRunner(() => (started ? { stdout: INFO } : { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' }));
    const outcome = await ensureDockerDaemon({ runner, fs, dockerd, ...BASE, pollIntervalMs: 1 });
    expect(runner.calls.some((c) => c.command === 'apt-get')).toBe(false);
    expect(outcome).toMatchObject({ installed: false, started: true });
  });

  it('times out with the log file in the hint', async () => {
    const fs = new FakeFilesystem();
    fs.executables.set('dockerd', '/usr/sbin/dockerd').set('docker', '/usr/bin/docker');
    const runner = new FakeRunner(() => ({ exitCode: 1 }));
    await expect(ensureDockerDaemon({ runner, fs, dockerd: new FakeDockerd(undefined), ...BASE, startTimeoutMs: 20, pollIntervalMs: 5 })).rejects.toMatchObject(
      {
        message: 'failed to wait for dockerd to answer after starting it within 0.02s: `docker info` did not answer',
        hint: expect.stringContaining(LOG),
      },
    );
  });

  it('does not try to start a daemon without root', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1 }));
    await expect(ensureDockerDaemon({ runner, fs: new FakeFilesystem(), dockerd: new FakeDockerd(undefined), ...BASE, isRoot: false })).rejects.toThrow(
      /not root/,
    );
  });

  it('in a dry run says it would install and start dockerd, and does neither', async () => {
    const runner = new FakeRunner((command) => (command === 'docker' ? 'enoent' : {}));
    const dockerd = new FakeDockerd(undefined);
    const outcome = await ensureDockerDaemon({
      runner,
      fs: new FakeFilesystem(),
      dockerd,
      ...BASE,
      dockerdArgs: ['--config-file', '/x/daemon.json'],
      dryRun: true,
    });
    expect(outcome).toMatchObject({
      info: undefined,
      started: false,
      changes: ["would install Debian's docker.io (no dockerd on PATH)", 'would start dockerd --config-file /x/daemon.json'],
    });
    expect(runner.argv()).toEqual(['docker info --format {{json .}}']);
    expect(dockerd.events).toEqual([]);
  });

  it('starts dockerd with the flags for non-default paths', async () => {
    let started = false;
    const dockerd = new FakeDockerd(undefined, () => (started = true));
    const fs = new FakeFilesystem();
    fs.executables.set('dockerd', '/usr/sbin/dockerd').set('docker', '/usr/bin/docker');
    const runner = new FakeRunner(() => (started ? { stdout: INFO } : { exitCode: 1 }));
    await ensureDockerDaemon({ runner, fs, dockerd, ...BASE, dockerdArgs: ['--pidfile', '/x/docker.pid'], pollIntervalMs: 1 });
    expect(dockerd.events).toEqual([`start ${LOG} --pidfile /x/docker.pid`]);
  });

  it('never starts a second dockerd next to one that runs but does not answer', async () => {
    const runner = new FakeRunner(() => ({ exitCode: 1, stderr: 'context deadline exceeded' }));
    const dockerd = new FakeDockerd(3275);
    await expect(ensureDockerDaemon({ runner, fs: new FakeFilesystem(), dockerd, ...BASE })).rejects.toThrow(
      /^failed to reach dockerd \(pid 3275 in \/var\/run\/docker.pid\): it runs but `docker info` does not answer$/,
    );
    expect(dockerd.events).toEqual([]);
  });
});
