import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ListrTask } from 'listr2';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { openBuildLog } from './build-log.js';
import { buildPaths, type BuildPaths } from './build-paths.js';
import { type BuildStage, stageOutputRef } from './build-stages.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { BuildLog } from './build-log.js';
import { buildGoStage } from './go-stage-builder.js';
import { buildImageStage } from './image-stage-builder.js';
import { buildNodeStage } from './node-stage-builder.js';
import { computeRecipeHashes, type BuildEnvironment } from './recipe-hash.js';
import { buildRootfsStage } from './rootfs-stage-builder.js';
import type { StageContext } from './stage-context.js';
import { builtStageHash } from './stage-state.js';

export interface ImageBuildOptions {
  stages: readonly BuildStage[];
  imagesDir: string;
  home: string;
  /** Rebuild even stages whose outputs carry the current hash. */
  force?: boolean;
  /** Build only these stages (by name); the others must already exist. */
  only?: readonly string[];
  /** This build's id (build container names and labels). */
  runId: string;
  /** Written on build containers (src/common/run-owner.ts). */
  owner?: string;
  signal?: AbortSignal;
}

export interface StageOutcome {
  name: string;
  kind: BuildStage['kind'];
  hash: string;
  status: 'built' | 'cached';
  seconds: number;
  log?: string;
}

export interface ImageBuildReport {
  startedAt: string;
  totalSeconds: number;
  stages: StageOutcome[];
}

/** Shared by the tasks of one build: results accumulate here for the summary. */
export interface ImageBuildContext {
  outcomes: StageOutcome[];
}

export interface ImageBuildPlan {
  hashes: Map<string, string>;
  paths: BuildPaths;
  tasks: ListrTask<ImageBuildContext>[];
  /** Call after the tasks ran: writes the timing report next to the outputs and returns it. */
  finish(ctx: ImageBuildContext): Promise<ImageBuildReport>;
  /**
   * Resolves when no stage runs any more. listr2 rejects as soon as one concurrent task fails;
   * the other lane may still be removing its container or work directory then.
   */
  settled(): Promise<void>;
}

export async function buildEnvironment(runner: CommandRunner): Promise<BuildEnvironment> {
  const go = await runner.run('go', ['env', 'GOVERSION']).catch((cause: unknown) => {
    throw new KindlabError('failed to find the Go toolchain', { cause, hint: 'install Go 1.24 or later (the Kubernetes build needs it)' });
  });
  return { goVersion: go.stdout.trim(), arch: process.arch };
}

/**
 * The build as listr2 tasks (the CLI renders them). Go binaries and Debian root file systems
 * run side by side, one lane each: Go saturates the CPU, debootstrap mostly waits on the network
 * and disk. Images follow, then the node image that pre-imports them all.
 */
export async function planImageBuild(runner: CommandRunner, options: ImageBuildOptions): Promise<ImageBuildPlan> {
  const unknown = (options.only ?? []).filter((name) => !options.stages.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown image build stage ${unknown.join(', ')}`, {
      hint: `stages: ${options.stages.map((s) => s.name).join(', ')}`,
    });
  }
  const environment = await buildEnvironment(runner);
  const hashes = await computeRecipeHashes(options.stages, options.imagesDir, environment);
  const paths = buildPaths(options.home);
  const startedAt = new Date();
  const running = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.catch(() => undefined).finally(() => running.delete(work));
    return work;
  };

  const stageTask = (stage: BuildStage): ListrTask<ImageBuildContext> => ({
    title: stage.title,
    task: (ctx, task) => tracked(runStageTask(stage, ctx, task)),
  });
  const runStageTask = async (
    stage: BuildStage,
    ctx: ImageBuildContext,
    task: { title: string; output: string; skip(message: string): void },
  ): Promise<void> => {
    // A lane must not start its next stage once the build is interrupted.
    options.signal?.throwIfAborted();
    const hash = hashes.get(stage.name) ?? '';
    const started = Date.now();
    if (options.only && !options.only.includes(stage.name)) {
      task.skip(`${stage.title}: not selected`);
      return;
    }
    if (!options.force && (await builtStageHash(stage, { runner, paths })) === hash) {
      ctx.outcomes.push({ name: stage.name, kind: stage.kind, hash, status: 'cached', seconds: 0 });
      task.skip(`${stage.title}: up to date (${hash})`);
      return;
    }
    const log = openBuildLog(paths.log(stage.name));
    const stageContext: StageContext = {
      runner,
      imagesDir: options.imagesDir,
      paths,
      stages: options.stages,
      hashes,
      log,
      runId: options.runId,
      ...(options.owner ? { owner: options.owner } : {}),
      signal: options.signal,
      progress: (message) => {
        task.output = message;
        log.line(`# ${message}`);
      },
    };
    const outputRef = stageOutputRef(stage);
    const previous = outputRef ? await defaultDockerCli(runner).imageInfo(outputRef) : undefined;
    try {
      await runStage(stage, stageContext);
      if (outputRef && previous) await removeSupersededImage(runner, outputRef, previous.id, log);
    } catch (cause) {
      throw new KindlabError(`failed to build ${stage.title}: ${(cause as Error).message}`, {
        cause,
        hint: `full output in ${log.path}`,
      });
    } finally {
      await log.close();
    }
    const seconds = (Date.now() - started) / 1000;
    ctx.outcomes.push({ name: stage.name, kind: stage.kind, hash, status: 'built', seconds, log: log.path });
    task.title = `${stage.title} (${seconds.toFixed(0)}s)`;
  };

  const byKind = (...kinds: BuildStage['kind'][]) => options.stages.filter((s) => kinds.includes(s.kind));
  const tasks: ListrTask<ImageBuildContext>[] = [
    {
      title: 'Binaries and root file systems',
      task: (_ctx, task) =>
        task.newListr(
          [
            // Within a lane one stage at a time: two Go builds on two cores only thrash, and
            // debootstraps share one package cache.
            { title: 'Go binaries', task: (_c, lane) => lane.newListr(byKind('go').map(stageTask), { concurrent: false }) },
            { title: 'Debian root file systems', task: (_c, lane) => lane.newListr(byKind('rootfs').map(stageTask), { concurrent: false }) },
          ],
          { concurrent: true },
        ),
    },
    { title: 'Images', task: (_ctx, task) => task.newListr(byKind('image').map(stageTask), { concurrent: false }) },
    { title: 'Node image', task: (_ctx, task) => task.newListr(byKind('node').map(stageTask), { concurrent: false }) },
  ];

  return {
    hashes,
    paths,
    tasks,
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    finish: async (ctx) => {
      const order = options.stages.map((s) => s.name);
      const report: ImageBuildReport = {
        startedAt: startedAt.toISOString(),
        totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
        stages: [...ctx.outcomes].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
      };
      await mkdir(dirname(paths.lastBuildReport()), { recursive: true });
      await writeFile(paths.lastBuildReport(), `${JSON.stringify(report, null, 2)}\n`);
      return report;
    },
  };
}

/**
 * A rebuilt image leaves its predecessor untagged (the node image alone is ~740 MB). Remove it
 * unless a container still uses it, in which case Docker refuses and it stays.
 */
async function removeSupersededImage(runner: CommandRunner, ref: string, previousId: string, log: BuildLog): Promise<void> {
  const current = await defaultDockerCli(runner).imageInfo(ref);
  if (!current || current.id === previousId) return;
  const removed = await defaultDockerCli(runner).run(['image', 'rm', previousId], { allowFailure: true });
  log.line(removed.exitCode === 0 ? `# removed superseded image ${previousId}` : `# kept superseded image ${previousId}: ${removed.stderr.trim()}`);
}

/** The builder of each kind of stage (build-stages.ts). */
const STAGE_BUILDERS: { [K in BuildStage['kind']]: (stage: Extract<BuildStage, { kind: K }>, ctx: StageContext) => Promise<void> } = {
  go: buildGoStage,
  rootfs: buildRootfsStage,
  image: buildImageStage,
  node: buildNodeStage,
};

function runStage<S extends BuildStage>(stage: S, ctx: StageContext): Promise<void> {
  // TypeScript cannot tie the looked-up builder to the narrowed stage: the table's type does.
  const build = STAGE_BUILDERS[stage.kind] as (stage: S, ctx: StageContext) => Promise<void>;
  return build(stage, ctx);
}
