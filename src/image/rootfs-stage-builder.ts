import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import { findAptMirror } from './apt-mirror.js';
import { ensureRootfsTools } from './ensure-rootfs-tools.js';
import type { RootfsStage } from './build-stages.js';
import { hashOf, type StageContext } from './stage-context.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

/**
 * debootstrap on the host (host network, apt cache shared between stages), our file tree and
 * finalize script on top, then `docker import`. No container needs network access.
 */
export async function buildRootfsStage(stage: RootfsStage, ctx: StageContext, aptDir?: string): Promise<void> {
  const workDir = ctx.paths.rootfsWorkDir(stage.name);
  const rootfs = join(workDir, 'rootfs');
  const tarball = join(workDir, 'rootfs.tar');
  const run = (command: string, args: string[]) => ctx.runner.run(command, args, { onLine: ctx.log.line, signal: ctx.signal });

  await removeWorkDir(ctx, workDir);
  try {
    await debootstrapAndImport(stage, ctx, { workDir, rootfs, tarball, run }, aptDir);
  } finally {
    // Also after a failure or Ctrl-C: a half-built tree is hundreds of megabytes, maybe with /proc mounted.
    await removeWorkDir(ctx, workDir);
  }
}

async function debootstrapAndImport(
  stage: RootfsStage,
  ctx: StageContext,
  dirs: { workDir: string; rootfs: string; tarball: string; run: (command: string, args: string[]) => Promise<unknown> },
  aptDir: string | undefined,
): Promise<void> {
  const { workDir, rootfs, tarball, run } = dirs;
  await mkdir(workDir, { recursive: true });
  await mkdir(ctx.paths.aptCache(), { recursive: true });
  const packages = parsePackageList(await readFile(join(ctx.imagesDir, stage.packagesFile), 'utf8'));
  const mirror = await findAptMirror(stage.suite, aptDir);

  const installed = await ensureRootfsTools(ctx.runner);
  if (installed.length > 0) ctx.log.line(`installed ${installed.join(', ')} from Debian packages`);
  ctx.progress?.(`debootstrap ${stage.suite} (+${packages.length} packages)`);
  await run('debootstrap', debootstrapArgs(stage, packages, rootfs, mirror, ctx.paths.aptCache()));
  if (stage.overlayDir) {
    ctx.progress?.('copy recipe files');
    await run('cp', ['-a', `${join(ctx.imagesDir, stage.overlayDir)}/.`, `${rootfs}/`]);
  }
  ctx.progress?.('finalize');
  await run('bash', [join(ctx.imagesDir, stage.finalizeScript), rootfs]);
  ctx.progress?.('docker import');
  await run('tar', ['--numeric-owner', '--xattrs', '-C', rootfs, '-cf', tarball, '.']);
  await defaultDockerCli(ctx.runner).run(dockerImportArgs(stage, hashOf(ctx, stage.name), tarball), { onLine: ctx.log.line, signal: ctx.signal });
}

export function debootstrapArgs(stage: RootfsStage, packages: readonly string[], rootfs: string, mirror: string, cacheDir: string): string[] {
  return ['--variant=minbase', `--include=${packages.join(',')}`, `--cache-dir=${cacheDir}`, stage.suite, rootfs, mirror];
}

export function dockerImportArgs(stage: RootfsStage, hash: string, tarball: string): string[] {
  const changes = [...stage.importChanges, `LABEL ${IMAGE_RECIPE_HASH_LABEL}=${hash}`];
  return ['import', ...changes.flatMap((c) => ['--change', c]), tarball, stage.ref];
}

export function parsePackageList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/**
 * A failed debootstrap can leave /proc or /sys mounted inside the tree: unmount them first and
 * never let rm cross into another file system.
 */
async function removeWorkDir(ctx: StageContext, workDir: string): Promise<void> {
  for (const mount of ['proc', 'sys', 'dev/pts', 'dev']) {
    await ctx.runner.run('umount', ['--lazy', join(workDir, 'rootfs', mount)], { allowFailure: true });
  }
  await ctx.runner.run('rm', ['-rf', '--one-file-system', workDir], { allowFailure: false });
  await mkdir(dirname(workDir), { recursive: true });
}
