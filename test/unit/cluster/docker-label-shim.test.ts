import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDockerLabelShim, DOCKER_SHIM_SOURCE } from '../../../src/cluster/docker-label-shim.js';
import { projectRoot } from '../../../src/common/paths.js';

/** A stand-in for the real docker: writes its argv, one argument per line, NUL-terminated list. */
function fakeDocker(dir: string): { path: string; argv: () => string[] } {
  const out = join(dir, 'argv');
  const path = join(dir, 'real-docker');
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${out}'\n`, { mode: 0o755 });
  return { path, argv: () => readFileSync(out, 'utf8').split('\0').slice(0, -1) };
}

describe('libexec/docker-run-labels (the docker kind sees)', () => {
  const shim = join(projectRoot(), DOCKER_SHIM_SOURCE);
  const run = (real: string, args: string[], addresses = '') =>
    execFileSync(shim, args, {
      env: { PATH: '/usr/bin:/bin', KINDLAB_REAL_DOCKER: real, KINDLAB_RUN_ID: 'r0000001', KINDLAB_LAB: 'demo', KINDLAB_ADDRESSES: addresses },
    });

  it('adds the lab and run labels to `docker run`, keeping every argument exactly', () => {
    const docker = fakeDocker(mkdtempSync(join(tmpdir(), 'kindlab-shim-')));
    // kind's node creation (provision.go), plus arguments a shell would mangle.
    const args = ['run', '--name', 'demo-control-plane', '--label', 'io.x-k8s.kind.cluster=demo', '-e', 'A=b c', '--', 'img', '$HOME', '*', "it's", '', 'a\nb'];
    run(docker.path, args);
    expect(docker.argv()).toEqual(['run', '--label', 'dev.kindlab.run=r0000001', '--label', 'dev.kindlab.lab=demo', ...args.slice(1)]);
  });

  it('pins the address chosen for the container kind is creating (--ip) and records it in a label; a container not in the list is left as kind made it', () => {
    const docker = fakeDocker(mkdtempSync(join(tmpdir(), 'kindlab-shim-')));
    const addresses = 'demo-control-plane=172.18.200.1 demo-control-plane2=172.18.200.2 demo-external-load-balancer=172.18.200.3';
    // kind's load balancer run (provision.go createLoadBalancer), abridged.
    const args = ['run', '--name', 'demo-control-plane2', '--hostname', 'demo-control-plane2', '--net', 'kind', 'img'];
    run(docker.path, args, addresses);
    expect(docker.argv()).toEqual([
      'run',
      '--label',
      'dev.kindlab.run=r0000001',
      '--label',
      'dev.kindlab.lab=demo',
      '--ip',
      '172.18.200.2',
      '--label',
      'dev.kindlab.address=172.18.200.2',
      ...args.slice(1),
    ]);
    run(docker.path, ['run', '--name', 'demo-worker', 'img'], addresses);
    expect(docker.argv()).toEqual(['run', '--label', 'dev.kindlab.run=r0000001', '--label', 'dev.kindlab.lab=demo', '--name', 'demo-worker', 'img']);
  });

  it('passes every other command through unchanged', () => {
    const docker = fakeDocker(mkdtempSync(join(tmpdir(), 'kindlab-shim-')));
    for (const args of [['inspect', '--format', '{{.State.Running}}', 'demo-control-plane'], ['network', 'create', 'kind'], ['exec', 'n', 'run'], ['-v']]) {
      run(docker.path, args);
      expect(docker.argv()).toEqual(args);
    }
  });

  it('refuses to run without the values kindlab sets', () => {
    expect(() => execFileSync(shim, ['ps'], { env: { PATH: '/usr/bin:/bin' }, stdio: 'pipe' })).toThrow(/KINDLAB_REAL_DOCKER/);
  });
});

describe('createDockerLabelShim', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('puts a private copy of the shim first on PATH, resolves the real docker beforehand, and removes it afterwards', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'kindlab-bin-'));
    const docker = fakeDocker(bin);
    execFileSync('ln', ['-s', docker.path, join(bin, 'docker')]);
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    const shim = await createDockerLabelShim('demo', 'r0000001', { 'demo-control-plane': '172.18.200.1' });
    const dir = shim.env.PATH!.split(':')[0]!;
    expect(shim.env).toMatchObject({
      KINDLAB_REAL_DOCKER: join(bin, 'docker'),
      KINDLAB_RUN_ID: 'r0000001',
      KINDLAB_LAB: 'demo',
      KINDLAB_ADDRESSES: 'demo-control-plane=172.18.200.1',
    });
    expect(shim.env.PATH).toBe(`${dir}:${bin}:/usr/bin:/bin`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // What kind would do: `docker run ...` found on PATH.
    execFileSync('docker', ['run', '--name', 'n', 'img'], { env: shim.env });
    expect(docker.argv()).toEqual(['run', '--label', 'dev.kindlab.run=r0000001', '--label', 'dev.kindlab.lab=demo', '--name', 'n', 'img']);
    shim.dispose();
    expect(existsSync(dir)).toBe(false);
  });

  it('fails clearly when there is no docker on PATH', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'kindlab-empty-'));
    await expect(createDockerLabelShim('demo', 'r')).rejects.toThrow('failed to find docker on PATH');
  });
});
