import { Listr, type ListrBaseClassOptions, type ListrTask } from 'listr2';
import { KindlabError } from '../common/kindlab-error.js';

/** One line of `lab up -o json`: a step's start and end, or a progress line under it. */
export type LabStepEvent<Id extends string = string> =
  | {
      event: 'step';
      step: Id | 'cleanup';
      title: string;
      status: 'started' | 'succeeded' | 'failed' | 'skipped';
      time: string;
      durationMs?: number;
      message?: string;
    }
  | { event: 'output'; step: Id | 'cleanup'; line: string; time: string };

export interface LabStepIO {
  signal: AbortSignal;
  /** One line of progress under the step's title. */
  output(line: string): void;
}

/** A step of a flow that creates a lab, as data: `lab up` (create-lab-steps.ts) and `lab up --host-cluster`. */
export interface LabStep<Ctx, Id extends string> {
  id: Id;
  title(ctx: Ctx): string;
  /** A reason to skip, or false. */
  skip?(ctx: Ctx): string | false;
  run(ctx: Ctx, io: LabStepIO): Promise<void>;
}

export interface RunLabStepsOptions<Id extends string> {
  /** listr2 renderer: `default` on a TTY (falls back to `simple` lines without one), `silent` for --json. */
  renderer: 'default' | 'simple' | 'silent';
  onEvent?: (event: LabStepEvent<Id>) => void;
  /** Aborted on SIGINT/SIGTERM: the running step's subprocess is killed and the flow stops. */
  signal: AbortSignal;
}

/**
 * Runs the steps in order under listr2, reporting each start, end and progress line as an event and
 * its time in `durations`. A failure or Ctrl-C ends the run with the step's error (an interrupted
 * run's error says so); undoing what was created is the caller's.
 */
export async function runLabSteps<Ctx extends object, Id extends string>(
  steps: readonly LabStep<Ctx, Id>[],
  ctx: Ctx,
  options: RunLabStepsOptions<Id>,
  durations: Partial<Record<Id, number>>,
): Promise<void> {
  const emit = (event: LabStepEvent<Id>) => options.onEvent?.(event);
  const tasks: ListrTask<Ctx>[] = steps.map((step) => ({
    title: step.title(ctx),
    skip: () => {
      const reason = step.skip?.(ctx) ?? false;
      if (reason) emit({ event: 'step', step: step.id, title: step.title(ctx), status: 'skipped', time: now(), message: reason });
      return reason;
    },
    task: async (_ctx, task) => {
      const t0 = Date.now();
      emit({ event: 'step', step: step.id, title: step.title(ctx), status: 'started', time: now() });
      try {
        await step.run(ctx, {
          signal: options.signal,
          output: (line) => {
            task.output = line;
            emit({ event: 'output', step: step.id, line, time: now() });
          },
        });
      } catch (error) {
        durations[step.id] = Date.now() - t0;
        emit({
          event: 'step',
          step: step.id,
          title: step.title(ctx),
          status: 'failed',
          time: now(),
          durationMs: durations[step.id],
          message: messageOf(error, options.signal),
        });
        throw options.signal.aborted ? interruptedLabUp(options.signal, error) : error;
      }
      durations[step.id] = Date.now() - t0;
      emit({ event: 'step', step: step.id, title: step.title(ctx), status: 'succeeded', time: now(), durationMs: durations[step.id] });
    },
  }));
  try {
    await new Listr<Ctx>(tasks, listrOptions(options.renderer)).run(ctx);
    // A signal during the last (instant) step lands after it: still an interrupted run.
    options.signal.throwIfAborted();
  } catch (error) {
    throw options.signal.aborted ? interruptedLabUp(options.signal, error) : error;
  }
}

function listrOptions<Ctx>(mode: RunLabStepsOptions<string>['renderer']): ListrBaseClassOptions<Ctx, 'default', 'simple'> {
  return {
    concurrent: false,
    exitOnError: true,
    // The CLI owns SIGINT/SIGTERM: it aborts the running step and waits for the cleanup.
    registerSignalListeners: false,
    renderer: 'default',
    // Plain lines without a TTY (CI logs), nothing at all for --json (events go through onEvent).
    fallbackRenderer: 'simple',
    fallbackRendererCondition: () => mode === 'simple' || !process.stdout.isTTY,
    silentRendererCondition: () => mode === 'silent',
    collectErrors: false,
  };
}

/** The error of a run that Ctrl-C (or SIGTERM) stopped: exit 130 (143). */
export function interruptedLabUp(signal: AbortSignal, cause: unknown): KindlabError {
  if (cause instanceof KindlabError && cause.message.startsWith('lab up interrupted')) return cause;
  const reason = typeof signal.reason === 'string' ? signal.reason : 'SIGINT';
  return new KindlabError(`lab up interrupted by ${reason}`, { cause, exitCode: reason === 'SIGTERM' ? 143 : 130 });
}

function messageOf(error: unknown, signal: AbortSignal): string {
  return signal.aborted ? `interrupted by ${String(signal.reason)}` : ((error as Error)?.message ?? String(error));
}

function now(): string {
  return new Date().toISOString();
}

/**
 * The cleanup after a failed or interrupted run, shown as one more step: `work` removes what the run
 * created and answers a one-line summary. Its own failure is reported, never thrown: the run's
 * error is the one the user needs.
 */
export async function runCleanupStep<Id extends string>(
  title: string,
  work: () => Promise<{ summary: string; message: string }>,
  options: Pick<RunLabStepsOptions<Id>, 'renderer' | 'onEvent'>,
  onError: (error: unknown) => void,
): Promise<void> {
  const emit = (event: LabStepEvent<Id>) => options.onEvent?.(event);
  const t0 = Date.now();
  let message = '';
  emit({ event: 'step', step: 'cleanup', title, status: 'started', time: now() });
  try {
    await new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            const done = await work();
            task.output = done.summary;
            message = done.message;
          },
        },
      ],
      listrOptions(options.renderer),
    ).run();
    emit({ event: 'step', step: 'cleanup', title, status: 'succeeded', time: now(), durationMs: Date.now() - t0, message });
  } catch (error) {
    onError(error);
    emit({ event: 'step', step: 'cleanup', title, status: 'failed', time: now(), message: (error as Error).message });
  }
}

/** A step skipped as a whole (e.g. the cleanup under --retain), as an event. */
export function skippedStepEvent<Id extends string>(step: Id | 'cleanup', title: string, message: string): LabStepEvent<Id> {
  return { event: 'step', step, title, status: 'skipped', time: now(), message };
}

/**
 * After a failed or interrupted `lab up`: nothing when the run created nothing; the --retain notice
 * when asked to keep it; else the cleanup step, removing what run `runId` created.
 */
export async function cleanUpFailedRun<Id extends string>(
  run: { name: string; runId: string; retain: boolean; createdSomething: boolean },
  work: () => Promise<{ summary: string; message: string }>,
  options: Pick<RunLabStepsOptions<Id>, 'renderer' | 'onEvent'>,
  onError: (error: unknown) => void,
): Promise<void> {
  if (!run.createdSomething) return;
  if (run.retain) {
    options.onEvent?.(skippedStepEvent('cleanup', `Keep what was created (--retain): remove it later with \`lab down ${run.name}\``, '--retain'));
    return;
  }
  await runCleanupStep(`Remove what run ${run.runId} created`, work, options, onError);
}
