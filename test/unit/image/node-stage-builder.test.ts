import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBuildLog } from '../../../src/image/build-log.js';
import { buildPaths } from '../../../src/image/build-paths.js';
import type { BuildStage } from '../../../src/image/build-stages.js';
import { buildNodeStage } from '../../../src/image/node-stage-builder.js';
import { FakeRunner } from '../support/fake-runner.js';

const stages: BuildStage[] = [
  { kind: 'image', name: 'staging', title: 'staging', refs: ['kindlab/node-staging:v1'], recipeDir: 'node', contextFiles: [], binaries: [] },
  { kind: 'image', name: 'pause-image', title: 'pause', refs: ['registry.k8s.io/pause:3.10.1'], recipeDir: 'pause', contextFiles: [], binaries: [] },
  { kind: 'image', name: 'cni', title: 'cni', refs: ['kindlab/cni:1'], recipeDir: 'cni', contextFiles: [], binaries: [] },
];
const node = {
  kind: 'node',
  name: 'node',
  title: 'node',
  ref: 'kindlab/node:v1',
  base: 'staging',
  preload: ['pause-image', 'cni'],
  kubernetesVersion: 'v1.34.4',
} as const;

async function context(runner: FakeRunner) {
  const home = await mkdtemp(join(tmpdir(), 'kindlab-node-'));
  return {
    runner,
    imagesDir: '/nonexistent',
    paths: buildPaths(home),
    stages: [...stages, node],
    hashes: new Map([['node', 'abc123']]),
    log: openBuildLog(join(home, 'node.log')),
    runId: 'run1',
  };
}

describe('buildNodeStage', () => {
  it('imports every image unpacked-later into k8s.io, pins it under its full name, and commits with the node entrypoint', async () => {
    const runner = new FakeRunner((call) => {
      if (call.args.includes('list')) return { stdout: 'registry.k8s.io/pause:3.10.1\ndocker.io/kindlab/cni:1\n' };
      if (call.args[2] === 'pgrep') return { exitCode: 1 };
      return undefined;
    });
    await buildNodeStage(node, await context(runner));
    const lines = runner.lines();
    expect(lines).toContainEqual(expect.stringMatching(/^docker save --output .*\/pause-image\.tar registry\.k8s\.io\/pause:3\.10\.1$/));
    const create = lines.find((l) => l.startsWith('docker create '))!;
    expect(create).toContain('--name kindlab-image-build-node-run1 --label dev.kindlab.image-build-run=run1');
    expect(create).toContain('--security-opt seccomp=unconfined');
    expect(create).not.toContain('--privileged');
    expect(create).toContain('--tmpfs /run');
    expect(create).toMatch(/--entrypoint sleep kindlab\/node-staging:v1 infinity$/);
    expect(lines).toContain('docker exec --detach kindlab-image-build-node-run1 containerd');
    expect(lines).toContain(
      'docker exec kindlab-image-build-node-run1 ctr --namespace=k8s.io images import --no-unpack --all-platforms --compress-blobs /kindlab/preload/cni.tar',
    );
    expect(lines).toContain(
      'docker exec kindlab-image-build-node-run1 ctr --namespace=k8s.io images label docker.io/kindlab/cni:1 io.cri-containerd.pinned=pinned',
    );
    const commit = runner.calls.find((c) => c.args[0] === 'commit')!;
    expect(commit.args).toEqual([
      'commit',
      '--change',
      'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
      '--change',
      'LABEL dev.kindlab.recipe-hash=abc123',
      '--change',
      'LABEL dev.kindlab.kubernetes-version=v1.34.4',
      // The build container's label would otherwise be on every node of every lab.
      '--change',
      'LABEL dev.kindlab.image-build-run=',
      'kindlab-image-build-node-run1',
      'kindlab/node:v1',
    ]);
    // containerd is stopped before the commit, and the build container is always removed.
    expect(lines.indexOf('docker exec kindlab-image-build-node-run1 pkill --exact containerd')).toBeLessThan(
      lines.findIndex((l) => l.startsWith('docker commit')),
    );
    expect(lines.at(-1)).toBe('docker rm --force kindlab-image-build-node-run1');
  });

  it('fails without committing when an image did not arrive in containerd', async () => {
    const runner = new FakeRunner((call) => (call.args.includes('list') ? { stdout: 'registry.k8s.io/pause:3.10.1\n' } : undefined));
    await expect(buildNodeStage(node, await context(runner))).rejects.toThrow(/failed to pre-import docker\.io\/kindlab\/cni:1/);
    expect(runner.lines().some((l) => l.startsWith('docker commit'))).toBe(false);
    expect(runner.lines().at(-1)).toBe('docker rm --force kindlab-image-build-node-run1');
  });
});
