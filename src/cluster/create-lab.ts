import { createDebugLogger } from '../common/debug-logger.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { createLabSteps, type CreateLabContext, type CreateStepId } from './create-lab-steps.js';
import { removeKubeconfigContext } from './kubeconfig-context.js';
import { contextForLab, kubeconfigPathForMerge } from './kubeconfig-path.js';
import type { LabDeps } from './lab-deps.js';
import { acquireLabLock } from './lab-lock.js';
import { newRunId } from './new-run-id.js';
import { removeRunResources, type RemovedRunResources } from './remove-run-resources.js';
import { cleanUpFailedRun, runLabSteps, type LabStepEvent } from './run-lab-steps.js';
import { runScopedDocker } from './run-scoped-docker.js';

const debug = createDebugLogger('up');

export type StepEvent = LabStepEvent<CreateStepId>;

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
  try {
    try {
      await runLabSteps(createLabSteps(), ctx, options, durations);
    } catch (error) {
      await cleanUpAfterFailure(deps, ctx, options);
      throw error;
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

async function cleanUpAfterFailure(deps: LabDeps, ctx: CreateLabContext, options: CreateLabOptions): Promise<void> {
  await cleanUpFailedRun(
    { name: ctx.spec.name, runId: ctx.runId, retain: ctx.spec.retain, createdSomething: ctx.created.size > 0 },
    async () => {
      const removed = await undoLabUp(deps, { spec: ctx.spec, runId: ctx.runId, kubeconfigPath: ctx.kubeconfigPath, wroteContext: Boolean(ctx.wroteContext) });
      return {
        summary: `removed ${removed.containers.length} container(s), ${removed.volumes.length} volume(s)${removed.kubeconfig ? `, context ${contextForLab(ctx.spec.name)}` : ''}`,
        message: JSON.stringify(removed),
      };
    },
    options,
    (error) => debug('cleanup failed', error),
  );
}
