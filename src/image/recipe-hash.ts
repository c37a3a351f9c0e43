import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type BuildStage, stageDependencies } from './build-stages.js';

/**
 * Bump a kind's revision when its builder (src/image/<kind>-stage-builder.ts) changes what it
 * makes from the same recipe, so existing outputs stop counting as current.
 */
export const BUILDER_REVISIONS: Readonly<Record<BuildStage['kind'], number>> = { go: 1, rootfs: 1, image: 1, node: 1 };

/** Facts outside the recipe files that change what a stage produces. */
export interface BuildEnvironment {
  goVersion: string;
  arch: string;
}

/**
 * Content hash of each stage: its definition, every recipe file it reads, the toolchain it
 * uses, and the hashes of the stages it consumes, so a change anywhere upstream rebuilds
 * everything downstream and nothing else.
 */
export async function computeRecipeHashes(stages: readonly BuildStage[], imagesDir: string, environment: BuildEnvironment): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const stage of stages) {
    const hash = createHash('sha256');
    hash.update(JSON.stringify(stage));
    hash.update(`\0arch=${environment.arch}\0builder=${BUILDER_REVISIONS[stage.kind]}`);
    if (stage.kind === 'go') hash.update(`\0go=${environment.goVersion}`);
    for (const file of await recipeFiles(stage, imagesDir)) {
      hash.update(`\0file=${relative(imagesDir, file)}\0`);
      hash.update(await fileFingerprint(file));
    }
    for (const dependency of stageDependencies(stage)) {
      const dependencyHash = hashes.get(dependency);
      if (!dependencyHash) throw new Error(`stage ${stage.name} needs ${dependency}, which is not listed before it`);
      hash.update(`\0dep=${dependency}=${dependencyHash}`);
    }
    hashes.set(stage.name, hash.digest('hex').slice(0, 16));
  }
  return hashes;
}

/** The files under images/ that a stage reads, sorted so the hash does not depend on directory order. */
export async function recipeFiles(stage: BuildStage, imagesDir: string): Promise<string[]> {
  const files: string[] = [];
  switch (stage.kind) {
    case 'go': {
      const dir = join(imagesDir, stage.moduleDir);
      for (const entry of await readdir(dir)) {
        if (entry === 'go.mod' || entry === 'go.sum' || entry.endsWith('.go')) files.push(join(dir, entry));
      }
      break;
    }
    case 'rootfs':
      files.push(join(imagesDir, stage.packagesFile), join(imagesDir, stage.finalizeScript));
      if (stage.overlayDir) files.push(...(await walk(join(imagesDir, stage.overlayDir))));
      break;
    case 'image':
      files.push(join(imagesDir, stage.recipeDir, 'Dockerfile'));
      files.push(...stage.contextFiles.map((f) => join(imagesDir, stage.recipeDir, f)));
      break;
    case 'node':
      break;
  }
  return files.sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

/** Content plus the bits that survive into the image: executable mode and symlink targets. */
async function fileFingerprint(path: string): Promise<Buffer> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return Buffer.from(`symlink:${await readlink(path)}`);
  const mode = Buffer.from(`mode:${(info.mode & 0o111) !== 0 ? 'x' : '-'}:`);
  return Buffer.concat([mode, await readFile(path)]);
}
