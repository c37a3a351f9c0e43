import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { IMAGE_KUBERNETES_VERSION_LABEL, IMAGE_RECIPE_HASH_LABEL } from '../common/labels.js';
import { buildPaths } from './build-paths.js';
import type { BuildStage } from './build-stages.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { buildEnvironment } from './image-build.js';
import { computeRecipeHashes } from './recipe-hash.js';
import { builtStageHash } from './stage-state.js';

export interface ImageListEntry {
  stage: string;
  kind: BuildStage['kind'];
  /** Image references, or the output directory of Go binaries. */
  refs: string[];
  exists: boolean;
  kubernetesVersion?: string;
  sizeBytes?: number;
  builtHash?: string;
  expectedHash: string;
  /** Built from the recipes as they are now: `lab image build` would skip it. */
  current: boolean;
  created?: string;
}

/** Every output of `lab image build` with whether it matches today's recipes. */
export async function listImages(
  runner: CommandRunner,
  options: { stages: readonly BuildStage[]; imagesDir: string; home: string },
): Promise<ImageListEntry[]> {
  const environment = await buildEnvironment(runner);
  const hashes = await computeRecipeHashes(options.stages, options.imagesDir, environment);
  const paths = buildPaths(options.home);
  const entries: ImageListEntry[] = [];
  for (const stage of options.stages) {
    const expectedHash = hashes.get(stage.name) ?? '';
    const builtHash = await builtStageHash(stage, { runner, paths });
    if (stage.kind === 'go') {
      const dir = paths.goOutput(stage.name);
      const size = builtHash ? await directorySize(dir) : undefined;
      entries.push({
        stage: stage.name,
        kind: stage.kind,
        refs: [dir],
        exists: builtHash !== undefined,
        sizeBytes: size,
        builtHash,
        expectedHash,
        current: builtHash === expectedHash,
      });
      continue;
    }
    const refs = stage.kind === 'image' ? [...stage.refs] : [stage.ref];
    const info = await defaultDockerCli(runner).imageInfo(refs[0] ?? '');
    entries.push({
      stage: stage.name,
      kind: stage.kind,
      refs,
      exists: info !== undefined,
      kubernetesVersion: info?.labels[IMAGE_KUBERNETES_VERSION_LABEL],
      sizeBytes: info?.sizeBytes,
      builtHash: builtHash ?? info?.labels[IMAGE_RECIPE_HASH_LABEL],
      expectedHash,
      current: builtHash === expectedHash,
      created: info?.created,
    });
  }
  return entries;
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    total += (await stat(join(dir, entry))).size;
  }
  return total;
}
