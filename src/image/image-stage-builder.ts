import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_KUBERNETES_VERSION_LABEL, IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import { type ImageStage, stageOutputRef } from './build-stages.js';
import { findStage } from './image-recipes.js';
import { hashOf, type StageContext } from './stage-context.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

/** Assembles a build context (Dockerfile, recipe files, built binaries) and runs `docker build`. */
export async function buildImageStage(stage: ImageStage, ctx: StageContext): Promise<void> {
  const context = ctx.paths.buildContext(stage.name);
  await rm(context, { recursive: true, force: true });
  try {
    await assembleContext(stage, ctx, context);
    ctx.progress?.(`docker build -t ${stage.refs[0]}`);
    await defaultDockerCli(ctx.runner).run(dockerBuildArgs(stage, ctx, context), {
      // The classic builder: no BuildKit front-end image to pull, and COPY-only Dockerfiles need nothing else.
      env: { DOCKER_BUILDKIT: '0' },
      onLine: ctx.log.line,
      signal: ctx.signal,
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function assembleContext(stage: ImageStage, ctx: StageContext, context: string): Promise<void> {
  await mkdir(context, { recursive: true });
  const recipeDir = join(ctx.imagesDir, stage.recipeDir);
  for (const file of ['Dockerfile', ...stage.contextFiles]) {
    await copyFile(join(recipeDir, file), join(context, file));
  }
  for (const binary of stage.binaries) {
    const target = join(context, binary.file);
    await copyFile(join(ctx.paths.goOutput(binary.stage), binary.file), target);
    await chmod(target, 0o755);
  }
  for (const [file, content] of Object.entries(stage.generatedFiles ?? {})) {
    await writeFile(join(context, file), content);
  }
}

export function dockerBuildArgs(stage: ImageStage, ctx: Pick<StageContext, 'hashes' | 'stages'>, contextDir: string): string[] {
  // --force-rm: the classic builder's intermediate containers go also when the build fails or is interrupted.
  const args = ['build', '--force-rm', '--label', `${IMAGE_RECIPE_HASH_LABEL}=${hashOf(ctx, stage.name)}`];
  if (stage.kubernetesVersion) args.push('--label', `${IMAGE_KUBERNETES_VERSION_LABEL}=${stage.kubernetesVersion}`);
  if (stage.base) {
    const baseRef = stageOutputRef(findStage(ctx.stages, stage.base));
    if (!baseRef) throw new Error(`stage ${stage.base} produces no image to build ${stage.name} on`);
    args.push('--build-arg', `BASE=${baseRef}`);
  }
  for (const ref of stage.refs) args.push('--tag', ref);
  args.push(contextDir);
  return args;
}
