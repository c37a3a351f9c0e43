import { createDebugLogger } from '../common/debug-logger.js';
import { contextForLab } from '../cluster/kubeconfig-path.js';
import { acquireLabLock } from '../cluster/lab-lock.js';
import { newRunId } from '../cluster/new-run-id.js';
import { cleanUpFailedRun, runLabSteps, type LabStepEvent } from '../cluster/run-lab-steps.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { createHostedLabSteps, type HostedLabContext, type HostedStepId } from './create-hosted-lab-steps.js';
import type { HostedLabDeps } from './hosted-lab-deps.js';
import type { HostedLabRecord } from './hosted-lab-record.js';
import { removeHostedRun, type RemovedHostedRun } from './remove-hosted-run.js';

const debug = createDebugLogger('hosted');

export interface CreateHostedLabOptions {
  renderer: 'default' | 'simple' | 'silent';
  onEvent?: (event: LabStepEvent<HostedStepId>) => void;
  signal: AbortSignal;
  host: HostedLabRecord['host'];
  namespace: string;
  kubeconfigPath: string;
  nodeImage: string;
  /** `lab up --count/--participants --prefix`: the room the lab is made for, in its record (`lab down --prefix`). */
  room?: string;
}

export interface CreateHostedLabResult {
  name: string;
  runId: string;
  topology: TopologySpec['kind'];
  nodeImage: string;
  namespace: string;
  pod: string;
  hostNode: string | undefined;
  server: string;
  kubeconfig: string;
  context: string;
  durationsMs: Partial<Record<HostedStepId, number>>;
  totalMs: number;
  notes: string[];
}

/**
 * `lab up --host-cluster`: the lab runs inside one privileged pod of another cluster, Docker in
 * Docker, so that cluster's scheduler places a room's labs over its machines. The steps run in
 * order; a failure or Ctrl-C removes the pod and Service of this run (by run id) and whatever of
 * the kubeconfig and record it wrote, unless --retain.
 */
export async function createHostedLab(deps: HostedLabDeps, spec: TopologySpec, options: CreateHostedLabOptions): Promise<CreateHostedLabResult> {
  const lock = acquireLabLock(spec.name);
  const started = Date.now();
  const ctx: HostedLabContext = {
    spec,
    deps,
    runId: newRunId(),
    createdAt: deps.now().toISOString(),
    namespace: options.namespace,
    host: options.host,
    kubeconfigPath: options.kubeconfigPath,
    nodeImage: options.nodeImage,
    ...(options.room ? { room: options.room } : {}),
    created: new Set(),
    notes: [],
  };
  const durations: Partial<Record<HostedStepId, number>> = {};
  try {
    try {
      await runLabSteps(createHostedLabSteps(), ctx, options, durations);
    } catch (error) {
      await cleanUpAfterFailure(ctx, options);
      throw error;
    }
    return {
      name: spec.name,
      runId: ctx.runId,
      topology: spec.kind,
      nodeImage: ctx.nodeImage,
      namespace: ctx.namespace,
      pod: ctx.pod?.metadata?.name ?? '',
      hostNode: ctx.pod?.spec?.nodeName,
      server: ctx.server ?? '',
      kubeconfig: ctx.kubeconfigPath,
      context: contextForLab(spec.name),
      durationsMs: durations,
      totalMs: Date.now() - started,
      notes: ctx.notes,
    };
  } finally {
    lock.release();
  }
}

async function cleanUpAfterFailure(ctx: HostedLabContext, options: CreateHostedLabOptions): Promise<void> {
  await cleanUpFailedRun(
    { name: ctx.spec.name, runId: ctx.runId, retain: ctx.spec.retain, createdSomething: ctx.created.size > 0 },
    async () => {
      const removed: RemovedHostedRun = await removeHostedRun(ctx.deps, {
        name: ctx.spec.name,
        runId: ctx.runId,
        namespace: ctx.namespace,
        kubeconfigPath: ctx.created.has('context') ? ctx.kubeconfigPath : undefined,
      });
      return { summary: `removed ${removed.objects.join(', ') || 'nothing'} from the host cluster`, message: JSON.stringify(removed) };
    },
    options,
    (error) => debug('cleanup failed', error),
  );
}
