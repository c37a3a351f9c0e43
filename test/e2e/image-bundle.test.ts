import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageBundleManifest } from '../../src/image/image-bundle-manifest.js';
import type { LoadedBundleRecord } from '../../src/image/loaded-bundle-record.js';
import { startPrivateDockerDaemon, type PrivateDockerDaemon } from './support/private-docker-daemon.js';
import { jsonLines, runLab, type LabRun } from './support/run-lab.js';
import { e2eLabName, homeEnv } from './support/watch-lab.js';

// A second dockerd needs root (CI runs as root); the images come from the machine daemon's `lab image build`.
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';
const LAB = e2eLabName('bundle');

function expectOk(run: LabRun, what: string): void {
  expect(run.exitCode, `${what}\n${run.stderr}\n${run.stdout.slice(-3000)}`).toBe(0);
}

describe.skipIf(skip)('image bundle: lab image save here, lab image load + lab up single + lab verify on a daemon without kindlab images', () => {
  const dir = mkdtempSync(join(tmpdir(), `${LAB}-`));
  const bundle = join(dir, 'kindlab-images.tar.zst');
  // Separate homes: the loading side never saw a build.
  const saveHome = join(dir, 'save-home');
  const loadHome = join(dir, 'load-home');
  let daemon: PrivateDockerDaemon | undefined;
  let manifest: ImageBundleManifest;
  const timings: Record<string, string> = {};
  // homeEnv keeps pointing at the kind `lab host prepare` installed for the usual home.
  const loadEnv = () => ({ ...daemon?.env, ...homeEnv(loadHome) });

  beforeAll(async () => {
    // Started while the bundle is written: they do not depend on each other.
    const started = startPrivateDockerDaemon({ name: 'bundle', images: [] });
    started.catch(() => undefined);
    const t0 = Date.now();
    // --hosted: the pod image of `lab up --host-cluster` too, so this also proves a machine without a build gets it.
    const save = await runLab(['image', 'save', '--hosted', '--out', bundle, '-o', 'json'], { env: { KINDLAB_HOME: saveHome } });
    timings.save = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    expectOk(save, 'lab image save');
    daemon = await started;
    manifest = (JSON.parse(save.stdout) as { manifest: ImageBundleManifest }).manifest;
  });

  afterAll(async () => {
    if (daemon) await runLab(['down', LAB], { env: loadEnv() }).catch(() => undefined);
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`image bundle timings: ${JSON.stringify(timings)}`);
  });

  it('writes one archive, 0644, with every image a lab needs (and with --hosted the hosted pod`s) and their recipe hashes', () => {
    const stat = statSync(bundle);
    timings.archiveBytes = String(stat.size);
    expect(stat.mode & 0o777).toBe(0o644);
    expect(manifest.images.map((i) => i.role)).toEqual(['node', 'load-balancer', 'external-etcd', 'hosted-pod']);
    for (const image of manifest.images) {
      const id = execFileSync(
        'docker',
        ['image', 'inspect', '--format', '{{.Id}} {{index .Config.Labels "dev.kindlab.recipe-hash"}}', image.refs[0] as string],
        {
          encoding: 'utf8',
        },
      ).trim();
      expect(id).toBe(`${image.id} ${image.recipeHash}`);
    }
  });

  it('refuses to overwrite the archive without --force, and names the field', async () => {
    const before = statSync(bundle).mtimeMs;
    const again = await runLab(['image', 'save', '--out', bundle], { env: { KINDLAB_HOME: saveHome } });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/^error: invalid --out ".*": the file exists/m);
    expect(statSync(bundle).mtimeMs).toBe(before);
  });

  it('refuses a file that is not a bundle before touching the daemon', async () => {
    const bogus = join(dir, 'bogus.tar.zst');
    writeFileSync(bogus, 'not an archive');
    const load = await runLab(['image', 'load', bogus], { env: loadEnv() });
    expect(load.exitCode).toBe(2);
    expect(load.stderr).toMatch(/^error: invalid FILE ".*bogus\.tar\.zst": not a kindlab image bundle/m);
  });

  it('loads it on a daemon without kindlab images, checks it and records it', async () => {
    const docker = (args: string[]) => execa('docker', args, { env: daemon?.env });
    expect((await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).toBe('');
    const t0 = Date.now();
    const load = await runLab(['image', 'load', bundle, '-o', 'json'], { env: loadEnv() });
    timings.load = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    timings.loadStartedAt = String(t0);
    expectOk(load, 'lab image load');
    for (const image of manifest.images) {
      for (const ref of image.refs) expect((await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).stdout).toBe(image.id);
    }
    const record = JSON.parse(readFileSync(join(loadHome, 'image-bundle', 'loaded.json'), 'utf8')) as LoadedBundleRecord;
    expect(record.file).toBe(bundle);
    expect(record.manifest).toEqual(manifest);
  });

  it('lab up single runs the loaded node image with no image build, and lab verify passes', async () => {
    const up = await runLab(['up', 'single', '--name', LAB, '--json'], { env: loadEnv() });
    expectOk(up, 'lab up single');
    timings.loadToReady = `${((Date.now() - Number(timings.loadStartedAt)) / 1000).toFixed(1)}s`;
    const events = jsonLines(up.stdout);
    const image = events.find((e) => e.event === 'output' && e.step === 'image');
    expect(String(image?.line)).toBe('kindlab/node:v1.34.4 (offline)');
    // No build ran: no build step in lab up, and the loading home has no build outputs or logs.
    expect(events.some((e) => /build/i.test(String(e.step ?? '')))).toBe(false);
    expect(existsSync(join(loadHome, 'image-build'))).toBe(false);
    expect(existsSync(join(loadHome, 'logs', 'image-build'))).toBe(false);
    const node = await execa('docker', ['inspect', '--format', '{{.Image}}', `${LAB}-control-plane`], { env: daemon?.env });
    expect(node.stdout).toBe(manifest.images.find((i) => i.role === 'node')?.id);
    const verify = await runLab(['verify', LAB], { env: loadEnv() });
    expectOk(verify, 'lab verify');
  });
});
