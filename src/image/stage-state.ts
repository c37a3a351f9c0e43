import type { CommandRunner } from '../common/command-runner.js';
import { IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import type { BuildPaths } from './build-paths.js';
import type { BuildStage } from './build-stages.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { goStageHash } from './go-stage-builder.js';

/** The recipe hash the existing output of a stage was built from, or undefined when any output is missing. */
export async function builtStageHash(stage: BuildStage, deps: { runner: CommandRunner; paths: BuildPaths }): Promise<string | undefined> {
  if (stage.kind === 'go') return goStageHash(stage, deps);
  const refs = stage.kind === 'image' ? stage.refs : [stage.ref];
  let hash: string | undefined;
  for (const ref of refs) {
    const info = await defaultDockerCli(deps.runner).imageInfo(ref);
    const label = info?.labels[IMAGE_RECIPE_HASH_LABEL];
    if (!label || (hash !== undefined && label !== hash)) return undefined;
    hash = label;
  }
  return hash;
}
