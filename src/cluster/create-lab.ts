import { Listr, type ListrBaseClassOptions, type ListrTask } from 'listr2';
import { KindlabError } from '../common/kindlab-error.js';
import { createDebugLogger } from '../common/debug-logger.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { createLabSteps, type CreateLabContext, type CreateStepId } from './create-lab-steps.js';
import { removeKubeconfigContext } from './kubeconfig-context.js';
import { contextForLab, kubeconfigPathForMerge } from './kubeconfig-path.js';
import type { LabDeps } from './lab-deps.js';
import { acquireLabLock } from './lab-lock.js';
import { newRunId } from './new-run-id.js';
import { removeRunResources, type RemovedRunResources } from './remove-run-resources.js';
import { runScopedDocker } from './run-scoped-docker.js';

const debug = createDebugLogger('up');

export type StepEvent =
  | {
      event: 'step';
      step: CreateStepId | 'cleanup';
      title: string;
      status: 'started' | 'succeeded' | 'failed' | 'skipped';
      time: string;
      durationMs?: number;
      message?: string;
    }
  | { event: 'output'; step: CreateStepId | 'cleanup'; line: string; time: string };

export interface CreateLabOptions {
  /** listr2 renderer: `default` on a TTY (falls back to `simple` lines without one), `silent` for --json. */
  renderer: 'default' | 'simple' | 'silent';
  onEvent?: (event: StepEvent) => void;
  /** Aborted on SIGINT/SIGTERM: the running step's subprocess is killed and the flow stops. */
  signal: AbortSignal;
  /** Test only (KINDLAB_TEST_SKIP_CLAIM): skip the name check and claim, to let a run collide inside kind. */
  skipClaim?: boolean;
  /** More labels for the lab's record (metadata volume), e.g. the room a `lab up --count` run made it for. */
  recordLabels?: Record<string, string>;
}

export interface CreateLabResult {
  name: string;
  /** The dev.kindlab.run label on everything this run created. */
  runId: string;
  topology: TopologySpec['kind'];
  etcd: TopologySpec['etcd'];
  nodeImage: string;
  nodeImageSource: string;
  kubeconfig: string;
  context: string;
  createdAt: string;
  durationsMs: Partial<Record<CreateStepId, number>>;
  totalMs: number;
  notes: string[];
}

/**
 * `lab up`: runs the create steps in order under listr2 and, when one fails or the run is interrupted,
 * removes what this run created (by its run id, unless --retain) before rethrowing. The claim step
 * makes a second `lab up` of the same name refuse on the whole Docker daemon; the lock file makes a
 * second one from the same KINDLAB_HOME refuse before it touches Docker at all.
 */
export async function createLab(deps: LabDeps, spec: TopologySpec, options: CreateLabOptions): Promise<CreateLabResult> {
  const lock = acquireLabLock(spec.name);
  const started = Date.now();
  const runId = newRunId();
  const ctx: CreateLabContext = {
    spec,
    deps: { ...deps, docker: runScopedDocker(deps.docker, runId) },
    kubeconfigPath: kubeconfigPathForMerge(spec.kubeconfig),
    createdAt: deps.now().toISOString(),
    runId,
    skipClaim: options.skipClaim,
    recordLabels: options.recordLabels,
    created: new Set(),
    notes: [],
  };
  const durations: Partial<Record<CreateStepId, number>> = {};
  const emit = (event: StepEvent) => options.onEvent?.(event);
  try {
    const tasks: ListrTask<CreateLabContext>[] = createLabSteps().map((step) => ({
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
          throw options.signal.aborted ? interrupted(options.signal, error) : error;
        }
        durations[step.id] = Date.now() - t0;
        emit({ event: 'step', step: step.id, title: step.title(ctx), status: 'succeeded', time: now(), durationMs: durations[step.id] });
      },
    }));
    try {
      await new Listr<CreateLabContext>(tasks, listrOptions(options.renderer)).run(ctx);
      // A signal during the last (instant) step lands after it: still an interrupted run.
      options.signal.throwIfAborted();
    } catch (error) {
      const failure = options.signal.aborted ? interrupted(options.signal, error) : error;
      await cleanUpAfterFailure(deps, ctx, options, emit);
      throw failure;
    }
    return {
      name: spec.name,
      runId,
      topology: spec.kind,
      etcd: spec.etcd,
      nodeImage: ctx.nodeImage?.ref ?? '',
      nodeImageSource: ctx.nodeImage?.source ?? '',
      kubeconfig: ctx.kubeconfigPath,
      context: contextForLab(spec.name),
      createdAt: ctx.createdAt,
      durationsMs: durations,
      totalMs: Date.now() - started,
      notes: ctx.notes,
    };
  } finally {
    lock.release();
  }
}

/** What a run leaves for its cleanup: enough to remove exactly what it created. */
export interface LabUpRun {
  spec: TopologySpec;
  runId: string;
  kubeconfigPath: string;
  /** kind wrote the lab's kubeconfig context during this run. */
  wroteContext: boolean;
}

export interface UndoResult extends RemovedRunResources {
  /** The kubeconfig the lab's context was removed from, when this run had written it. */
  kubeconfig: string | undefined;
}

/**
 * Removes what one `lab up` run created: the Docker resources labelled with its run id and the
 * kubeconfig context if this run wrote it. Never by name, never kind's delete (which deletes every
 * container labelled with the cluster name).
 */
export async function undoLabUp(deps: Pick<LabDeps, 'docker'>, run: LabUpRun): Promise<UndoResult> {
  const removed = await removeRunResources(deps.docker, run.runId);
  const context = contextForLab(run.spec.name);
  const kubeconfig = run.wroteContext && (await removeKubeconfigContext(run.kubeconfigPath, context)) ? run.kubeconfigPath : undefined;
  return { ...removed, kubeconfig };
}

async function cleanUpAfterFailure(
  deps: LabDeps,
  ctx: CreateLabContext,
  options: CreateLabOptions,
  emit: (event: StepEvent) => void,
): Promise<UndoResult | undefined> {
  if (ctx.created.size === 0) return undefined;
  const title = ctx.spec.retain
    ? `Keep what was created (--retain): remove it later with \`lab down ${ctx.spec.name}\``
    : `Remove what run ${ctx.runId} created`;
  if (ctx.spec.retain) {
    emit({ event: 'step', step: 'cleanup', title, status: 'skipped', time: now(), message: '--retain' });
    return undefined;
  }
  let removed: UndoResult | undefined;
  const t0 = Date.now();
  emit({ event: 'step', step: 'cleanup', title, status: 'started', time: now() });
  try {
    await new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            removed = await undoLabUp(deps, { spec: ctx.spec, runId: ctx.runId, kubeconfigPath: ctx.kubeconfigPath, wroteContext: Boolean(ctx.wroteContext) });
            task.output = `removed ${removed.containers.length} container(s), ${removed.volumes.length} volume(s)${removed.kubeconfig ? `, context ${contextForLab(ctx.spec.name)}` : ''}`;
          },
        },
      ],
      listrOptions(options.renderer),
    ).run();
    emit({ event: 'step', step: 'cleanup', title, status: 'succeeded', time: now(), durationMs: Date.now() - t0, message: JSON.stringify(removed) });
  } catch (error) {
    debug('cleanup failed', error);
    emit({ event: 'step', step: 'cleanup', title, status: 'failed', time: now(), message: (error as Error).message });
  }
  return removed;
}

function listrOptions(mode: CreateLabOptions['renderer']): ListrBaseClassOptions<CreateLabContext, 'default', 'simple'> {
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

function interrupted(signal: AbortSignal, cause: unknown): KindlabError {
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
