import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKind } from '../../../src/host/ensure-kind.js';
import { findKind } from '../../../src/host/find-kind.js';
import { parseKindVersion } from '../../../src/host/kind-version-of.js';
import { FakeRunner } from './fakes.js';

/** `kind version` as v0.30.0 prints it (recorded from the go-installed binary). */
const KIND_030 = 'kind v0.30.0 go1.26.8 linux/amd64\n';

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('ensureKind', () => {
  const saved = { PATH: process.env.PATH, KINDLAB_HOME: process.env.KINDLAB_HOME, KINDLAB_KIND: process.env.KINDLAB_KIND };
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindlab-kind-'));
    process.env.KINDLAB_HOME = join(root, 'home');
    process.env.PATH = join(root, 'path');
    delete process.env.KINDLAB_KIND;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('parses the version kind prints', () => {
    expect(parseKindVersion(KIND_030)).toBe('v0.30.0');
    expect(parseKindVersion('kind v0.31.0-alpha+abc go1.25 linux/amd64')).toBe('v0.31.0-alpha+abc');
    expect(parseKindVersion('command not found')).toBeUndefined();
  });

  it('uses a supported kind on PATH without installing', async () => {
    const onPath = executable(join(root, 'path'), 'kind');
    const runner = new FakeRunner(() => ({ stdout: KIND_030 }));
    expect(await ensureKind(runner)).toEqual({ path: onPath, version: 'v0.30.0', installed: false });
    expect(runner.argv()).toEqual([`${onPath} version`]);
  });

  it('go installs the pinned kind into kindlabBinDir() when PATH has an unsupported one', async () => {
    const onPath = executable(join(root, 'path'), 'kind');
    const binDir = join(root, 'home', 'bin');
    let installed = false;
    const runner = new FakeRunner((command) => {
      if (command === onPath) return { stdout: 'kind v0.32.0 go1.25.1 linux/amd64\n' };
      if (command === 'go') {
        executable(binDir, 'kind');
        installed = true;
        return {};
      }
      if (command === join(binDir, 'kind')) return installed ? { stdout: KIND_030 } : 'enoent';
      return 'enoent';
    });
    expect(await ensureKind(runner)).toEqual({ path: join(binDir, 'kind'), version: 'v0.30.0', installed: true });
    const goCall = runner.calls.find((c) => c.command === 'go');
    expect(goCall?.args).toEqual(['install', 'sigs.k8s.io/kind@v0.30.0']);
    expect(goCall?.options.env).toMatchObject({ GOBIN: binDir, CGO_ENABLED: '0' });
  });

  it('skips go install when kindlab already installed the pinned kind', async () => {
    const installed = executable(join(root, 'home', 'bin'), 'kind');
    const runner = new FakeRunner(() => ({ stdout: KIND_030 }));
    expect(await ensureKind(runner)).toEqual({ path: installed, version: 'v0.30.0', installed: false });
    expect(runner.calls.some((c) => c.command === 'go')).toBe(false);
  });

  it('runs an unchanged kind binary once: its version is recorded with the file identity', async () => {
    const onPath = executable(join(root, 'path'), 'kind');
    const runner = new FakeRunner(() => ({ stdout: KIND_030 }));
    expect((await findKind(runner))?.version).toBe('v0.30.0');
    expect((await findKind(runner))?.version).toBe('v0.30.0');
    expect(runner.argv()).toEqual([`${onPath} version`]);
    // A replaced binary (new content, new mtime) is asked again.
    writeFileSync(onPath, '#!/bin/sh\n# rebuilt\n');
    utimesSync(onPath, new Date(), new Date(Date.now() + 5_000));
    const newer = new FakeRunner(() => ({ stdout: 'kind v0.30.1 go1.26.8 linux/amd64\n' }));
    expect((await findKind(newer))?.version).toBe('v0.30.1');
    expect(newer.argv()).toEqual([`${onPath} version`]);
  });

  it('findKind never installs', async () => {
    const runner = new FakeRunner(() => 'enoent');
    expect(await findKind(runner)).toBeUndefined();
    expect(runner.calls.some((c) => c.command === 'go')).toBe(false);
  });

  it('rejects an unsupported $KINDLAB_KIND with a hint instead of installing', async () => {
    process.env.KINDLAB_KIND = executable(join(root, 'opt'), 'kind');
    const runner = new FakeRunner(() => ({ stdout: 'kind v0.27.0 go1.23 linux/amd64\n' }));
    await expect(ensureKind(runner)).rejects.toMatchObject({
      message: expect.stringMatching(/KINDLAB_KIND=\S+\/opt\/kind .*v0.27.0/),
      hint: expect.stringContaining('v0.30.0'),
    });
    expect(runner.calls.some((c) => c.command === 'go')).toBe(false);
  });
});
