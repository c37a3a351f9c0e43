import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectVersionInfo, formatVersionInfo } from '../../../src/version/collect-version-info.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeRunner } from '../support/fake-runner.js';

/** A real file: kind's version is recorded against the binary's identity, so the path must exist. */
const KIND = join(mkdtempSync(join(tmpdir(), 'kindlab-version-')), 'kind');
writeFileSync(KIND, '#!/bin/sh\n', { mode: 0o755 });
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** `docker image inspect --format '{{json .}}' kindlab/node:v1.34.4`, the fields read (shape as docker 20.10 prints it). */
const NODE_IMAGE = JSON.stringify({
  Id: 'sha256:3eedeab0b431aa5bb5b3b3f2b4c0c37f3b9a0e9e3e1d9f1b0a2c3d4e5f6a7b8c',
  Size: 1_234_567_890,
  Created: '2026-11-30T05:00:00Z',
  Config: { Labels: { 'dev.kindlab.recipe-hash': '426d150defda35d0', 'dev.kindlab.kubernetes-version': 'v1.34.4' } },
});

describe('lab version', () => {
  let saved: string | undefined;
  let savedHome: string | undefined;
  beforeEach(() => {
    saved = process.env.KINDLAB_KIND;
    savedHome = process.env.KINDLAB_HOME;
    process.env.KINDLAB_KIND = KIND;
    // Fresh records each test: a version recorded by one test must not answer for the next.
    process.env.KINDLAB_HOME = mkdtempSync(join(tmpdir(), 'kindlab-version-home-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KINDLAB_KIND;
    else process.env.KINDLAB_KIND = saved;
    if (savedHome === undefined) delete process.env.KINDLAB_HOME;
    else process.env.KINDLAB_HOME = savedHome;
  });

  it('reports kindlab, the kind found, and the node image with its Kubernetes version', async () => {
    const runner = new FakeRunner(({ command, args }) => {
      if (command === KIND) return { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' };
      if (args[0] === 'version') return { stdout: '20.10.24+dfsg1\n' };
      if (args[0] === 'image') return { stdout: NODE_IMAGE };
      return undefined;
    });
    const info = await collectVersionInfo(runner, { docker: new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT) });
    expect(info).toEqual({
      kindlab: PACKAGE_VERSION,
      kind: { wanted: 'v0.30.0', found: 'v0.30.0', path: KIND },
      nodeImage: { ref: 'kindlab/node:v1.34.4', kubernetesVersion: 'v1.34.4', present: true, id: expect.stringMatching(/^sha256:/) },
      docker: { serverVersion: '20.10.24+dfsg1', error: null },
    });
    expect(formatVersionInfo(info)).toMatch(
      /^kindlab {5}\d+\.\d+\.\d+\nkind {8}v0\.30\.0 \(\S+\/kind\)\nkubernetes {2}v1\.34\.4\nnode image {2}kindlab\/node:v1\.34\.4: present/,
    );
  });

  it('asks nothing of Docker unless told to: kind once, and the versions kindlab builds', async () => {
    const runner = new FakeRunner(({ command }) => (command === KIND ? { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' } : undefined));
    const info = await collectVersionInfo(runner);
    expect(runner.lines((c) => c.command !== KIND)).toEqual([]);
    expect(info.docker).toBeNull();
    expect(info.nodeImage).toEqual({ ref: 'kindlab/node:v1.34.4', kubernetesVersion: 'v1.34.4', present: null, id: null });
    const text = formatVersionInfo(info);
    expect(text).toContain('node image  kindlab/node:v1.34.4: built? ask Docker with `lab version --docker`');
    expect(text).not.toMatch(/^docker/m);
  });

  it('does not fail without Docker: the image is "unknown" and the reason is shown', async () => {
    const refused = 'Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?';
    const runner = new FakeRunner(({ command }) =>
      command === 'docker' ? { exitCode: 1, stderr: `${refused}\n` } : { stdout: 'kind v0.30.0 go1.26.8 linux/amd64\n' },
    );
    const info = await collectVersionInfo(runner, { docker: new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT) });
    const error = `failed to reach the Docker daemon at unix:///var/run/docker.sock (from the default context): ${refused}`;
    expect(info.nodeImage.present).toBeNull();
    expect(info.docker).toEqual({ serverVersion: null, error });
    expect(formatVersionInfo(info)).toContain(`node image  kindlab/node:v1.34.4: unknown (${error})`);
  });

  it('says "not installed" when no supported kind is found', async () => {
    delete process.env.KINDLAB_KIND;
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const runner = new FakeRunner(({ args }) =>
        args[0] === 'image' ? { exitCode: 1, stderr: 'Error: No such image: kindlab/node:v1.34.4\n' } : { stdout: '20.10.24+dfsg1\n' },
      );
      const info = await collectVersionInfo(runner, { docker: new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT) });
      expect(info.kind.found).toBeNull();
      expect(info.nodeImage.present).toBe(false);
      const text = formatVersionInfo(info);
      expect(text).toMatch(/^kind {8}not installed \(kindlab needs v0\.30\.0/m);
      expect(text).toContain('node image  kindlab/node:v1.34.4: not built (run `lab image build`)');
    } finally {
      process.env.PATH = saved;
    }
  });
});
