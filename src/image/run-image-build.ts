import { Listr } from 'listr2';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { currentRunOwner, newRunId, type ProcessTable } from '../common/run-owner.js';
import { acquireBuildLock } from './build-lock.js';
import { removeDeadBuildContainers } from './remove-dead-build-containers.js';
import { planImageBuild, type ImageBuildContext, type ImageBuildOptions, type ImageBuildReport } from './image-build.js';

export interface RunImageBuildOptions extends Omit<ImageBuildOptions, 'runId' | 'signal'> {
  /** Aborted by the CLI on SIGINT/SIGTERM, with the signal's name as the reason. */
  signal: AbortSignal;
  renderer: 'default' | 'silent';
  runId?: string;
  /** For the lock's liveness check (tests pass their own). */
  processes?: ProcessTable;
}

/**
 * `lab image build`: plan, take the build lock of the KINDLAB_HOME, run the stages, write the
 * report. On an interrupt every running stage removes its build container and work directory
 * before this returns; it then throws with exit code 130 (SIGINT) or 143 (SIGTERM).
 */
export async function runImageBuild(runner: CommandRunner, options: RunImageBuildOptions): Promise<ImageBuildReport> {
  const runId = options.runId ?? newRunId();
  const owner = currentRunOwner(options.processes);
  const plan = await planImageBuild(runner, { ...options, runId, ...(owner ? { owner } : {}) });
  options.signal.throwIfAborted();
  const lock = acquireBuildLock(plan.paths.lock(), runId, options.processes);
  try {
    await removeDeadBuildContainers(runner, options.processes);
    const ctx: ImageBuildContext = { outcomes: [] };
    await new Listr<ImageBuildContext>(plan.tasks, {
      rendererOptions: { collapseSkips: false },
      // The CLI owns SIGINT/SIGTERM: listr2's own handler would exit at once, leaving the build container.
      registerSignalListeners: false,
      exitOnError: true,
      // listr2 falls back to its line-by-line renderer without a TTY (CI, logs).
      silentRendererCondition: options.renderer === 'silent',
    }).run(ctx);
    return await plan.finish(ctx);
  } catch (error) {
    await plan.settled();
    if (options.signal.aborted) throw interrupted(options.signal, error);
    throw error;
  } finally {
    lock.release();
  }
}

function interrupted(signal: AbortSignal, cause: unknown): KindlabError {
  const reason = typeof signal.reason === 'string' ? signal.reason : 'SIGINT';
  return new KindlabError(`lab image build interrupted by ${reason}; its build containers and work directories were removed`, {
    cause,
    exitCode: reason === 'SIGTERM' ? 143 : 130,
    hint: 'run `lab image build` again: stages that finished are kept and skipped',
  });
}
