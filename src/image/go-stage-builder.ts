import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GoStage } from './build-stages.js';
import { hashOf, type StageContext } from './stage-context.js';

const HASH_FILE = '.recipe-hash';

/** `go build` of a wrapper module's commands into the stage's output directory. */
export async function buildGoStage(stage: GoStage, ctx: StageContext): Promise<void> {
  const out = ctx.paths.goOutput(stage.name);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const group of stage.groups) {
    ctx.progress?.(`go build ${group.packages.map(shortPackage).join(' ')}${group.cgo ? ' (cgo)' : ''}`);
    await ctx.runner.run('go', goBuildArgs(stage, group.packages, out), {
      cwd: join(ctx.imagesDir, stage.moduleDir),
      env: { CGO_ENABLED: group.cgo ? '1' : '0' },
      onLine: ctx.log.line,
      signal: ctx.signal,
    });
  }
  for (const [from, to] of Object.entries(stage.renames ?? {})) {
    await rename(join(out, from), join(out, to));
  }
  await writeFile(join(out, HASH_FILE), `${hashOf(ctx, stage.name)}\n`);
}

export function goBuildArgs(stage: GoStage, packages: readonly string[], outDir: string): string[] {
  return [
    'build',
    '-trimpath',
    ...(stage.tags.length > 0 ? ['-tags', stage.tags.join(',')] : []),
    '-ldflags',
    stage.ldflags,
    // A trailing slash makes go write one binary per package into the directory.
    '-o',
    `${outDir}/`,
    ...packages,
  ];
}

export async function goStageHash(stage: GoStage, ctx: Pick<StageContext, 'paths'>): Promise<string | undefined> {
  const text = await readFile(join(ctx.paths.goOutput(stage.name), HASH_FILE), 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

function shortPackage(pkg: string): string {
  return (
    pkg
      .split('/')
      .filter((p) => !/^v\d+$/.test(p))
      .pop() ?? pkg
  );
}
