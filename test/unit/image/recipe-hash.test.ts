import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildStage } from '../../../src/image/build-stages.js';
import { computeRecipeHashes } from '../../../src/image/recipe-hash.js';

const env = { goVersion: 'go1.26.8', arch: 'x64' };

const stages: BuildStage[] = [
  { kind: 'go', name: 'tool', title: 'tool', moduleDir: 'tool', groups: [{ packages: ['.'], cgo: false }], tags: [], ldflags: '-s -w' },
  {
    kind: 'rootfs',
    name: 'base',
    title: 'base',
    ref: 'kindlab/base:test',
    suite: 'bookworm',
    packagesFile: 'base/packages.txt',
    overlayDir: 'base/rootfs',
    finalizeScript: 'base/finalize.sh',
    importChanges: [],
  },
  {
    kind: 'image',
    name: 'tool-image',
    title: 'tool image',
    refs: ['kindlab/tool:1'],
    recipeDir: 'tool',
    contextFiles: [],
    binaries: [{ stage: 'tool', file: 'tool' }],
    base: 'base',
  },
  { kind: 'image', name: 'other', title: 'other', refs: ['kindlab/other:1'], recipeDir: 'other', contextFiles: ['cfg'], binaries: [] },
];

async function recipeTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kindlab-recipes-'));
  await mkdir(join(dir, 'tool'));
  await mkdir(join(dir, 'base', 'rootfs', 'etc'), { recursive: true });
  await mkdir(join(dir, 'other'));
  await writeFile(join(dir, 'tool', 'go.mod'), 'module x\n');
  await writeFile(join(dir, 'tool', 'main.go'), 'package main\n');
  await writeFile(join(dir, 'tool', 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(dir, 'base', 'packages.txt'), 'bash\n');
  await writeFile(join(dir, 'base', 'finalize.sh'), 'true\n');
  await writeFile(join(dir, 'base', 'rootfs', 'etc', 'a.conf'), 'a=1\n');
  await writeFile(join(dir, 'other', 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(dir, 'other', 'cfg'), 'x\n');
  return dir;
}

describe('computeRecipeHashes', () => {
  it('is stable for unchanged recipes', async () => {
    const dir = await recipeTree();
    expect(await computeRecipeHashes(stages, dir, env)).toEqual(await computeRecipeHashes(stages, dir, env));
  });

  it('rebuilds a stage and everything downstream when one of its files changes, and nothing else', async () => {
    const dir = await recipeTree();
    const before = await computeRecipeHashes(stages, dir, env);
    await writeFile(join(dir, 'base', 'rootfs', 'etc', 'a.conf'), 'a=2\n');
    const after = await computeRecipeHashes(stages, dir, env);
    expect(after.get('base')).not.toBe(before.get('base'));
    expect(after.get('tool-image')).not.toBe(before.get('tool-image'));
    expect(after.get('tool')).toBe(before.get('tool'));
    expect(after.get('other')).toBe(before.get('other'));
  });

  it('ties Go stages, not root file systems, to the Go version', async () => {
    const dir = await recipeTree();
    const before = await computeRecipeHashes(stages, dir, env);
    const after = await computeRecipeHashes(stages, dir, { ...env, goVersion: 'go1.27.0' });
    expect(after.get('tool')).not.toBe(before.get('tool'));
    expect(after.get('tool-image')).not.toBe(before.get('tool-image'));
    expect(after.get('base')).toBe(before.get('base'));
  });

  it('counts a Dockerfile as part of its image but not of the Go binaries beside it', async () => {
    const dir = await recipeTree();
    const before = await computeRecipeHashes(stages, dir, env);
    await writeFile(join(dir, 'tool', 'Dockerfile'), 'FROM scratch\nUSER 1\n');
    const after = await computeRecipeHashes(stages, dir, env);
    expect(after.get('tool')).toBe(before.get('tool'));
    expect(after.get('tool-image')).not.toBe(before.get('tool-image'));
  });

  it('rejects a stage listed before the stage it consumes', async () => {
    const dir = await recipeTree();
    await expect(computeRecipeHashes([stages[2]!, stages[0]!, stages[1]!], dir, env)).rejects.toThrow(/needs/);
  });
});
