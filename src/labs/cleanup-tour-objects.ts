import type { V1ObjectMeta } from '@kubernetes/client-node';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL } from '../common/labels.js';
import { removeDeadRuns, type ProcessTable } from '../common/run-owner.js';
import { doneIf, waitUntil } from '../common/wait-until.js';
import type { KubeApi, ObjectKind } from '../kube/kube-api.js';

const debug = createDebugLogger('tour');

export const TOUR_COMPONENT = 'tour';

export function tourObjectLabels(lab: string, runId: string): Record<string, string> {
  return { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: TOUR_COMPONENT, [LAB_RUN_LABEL]: runId };
}

/** The lab file's name plus the run id: 8 hex characters, so lab files keep names to 54 characters. */
export function tourObjectName(name: string, runId: string): string {
  return `${name}-${runId}`;
}

/** One run's objects, or every tour object of the lab when runId is omitted. */
export function tourLabelSelector(lab: string, runId?: string): string {
  return `${LAB_LABEL}=${lab},${LAB_COMPONENT_LABEL}=${TOUR_COMPONENT}${runId ? `,${LAB_RUN_LABEL}=${runId}` : ''}`;
}

/** Where a tour's objects live: the lab's API, the tour's namespace, and the lab name in their labels. */
export interface TourObjectScope {
  kube: KubeApi;
  namespace: string;
  lab: string;
}

/** What a tour creates (and the garbage collector makes of it), in the order cleanup deletes it. */
const TOUR_KINDS: readonly ObjectKind[] = ['deployment', 'replicaset', 'pod', 'configmap'];

/** What a tour may have created, found by label: the same list cleanup deletes and the e2e test checks. */
export async function listTourObjects(scope: TourObjectScope, runId?: string): Promise<string[]> {
  return (await listTourObjectMeta(scope, runId)).map(({ kind, meta }) => `${kind}/${meta.name ?? ''}`);
}

async function listTourObjectMeta({ kube, namespace, lab }: TourObjectScope, runId?: string): Promise<Array<{ kind: string; meta: V1ObjectMeta }>> {
  const labelSelector = tourLabelSelector(lab, runId);
  const lists = await Promise.all(
    TOUR_KINDS.map(async (kind) => (await kube.list(kind, namespace, labelSelector)).map((o) => ({ kind, meta: o.metadata ?? {} }))),
  );
  return lists.flat();
}

export interface CleanupTiming {
  waitMs: number;
  pollMs: number;
}

/**
 * Leftovers of tours that were killed (SIGKILL, a crash, a reboot): removed only when their owner
 * process is provably gone, so a tour running at the same time, even one waiting at a prompt for
 * hours, keeps its objects. Best effort: returns the runs it removed, logs a failure.
 */
export function removeDeadTourRuns(
  scope: TourObjectScope,
  runId: string,
  options: CleanupTiming & { processes?: ProcessTable; signal?: AbortSignal },
): Promise<string[]> {
  return removeDeadRuns({
    what: 'tour',
    ownRunId: runId,
    list: async () => (await listTourObjectMeta(scope)).map((o) => o.meta),
    remove: (run) => cleanupTourObjects(scope, run, options),
    debug,
    processes: options.processes,
    signal: options.signal,
  });
}

export interface CleanupReport {
  deleted: string[];
}

/**
 * Deletes one tour run's objects by label and waits until the API lists none. It takes its own
 * signal: it runs after Ctrl-C, when the tour's signal is already aborted.
 */
export async function cleanupTourObjects(scope: TourObjectScope, runId: string, options: CleanupTiming & { signal?: AbortSignal }): Promise<CleanupReport> {
  const { kube, namespace, lab } = scope;
  const labelSelector = tourLabelSelector(lab, runId);
  const deleted = await listTourObjects(scope, runId);
  if (deleted.length === 0) return { deleted };
  const deleteKinds = async (kinds: readonly ObjectKind[]) => {
    try {
      await Promise.all(kinds.map((kind) => kube.deleteLabelled(kind, namespace, labelSelector)));
    } catch (cause) {
      throw new KindlabError(`failed to delete the tour's objects (label ${labelSelector})`, {
        cause,
        hint: `kubectl delete deployment,replicaset,pod,configmap -n ${namespace} -l ${labelSelector}`,
      });
    }
  };
  const timing = {
    timeoutMs: options.waitMs,
    intervalMs: options.pollMs,
    // Usually none: this cleanup is what an interrupted tour runs.
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // The Deployments and ReplicaSets first, in the background (the garbage collector takes their Pods): a Pod
  // deleted while its ReplicaSet still runs is replaced (CI saw a tour's Pod left behind that way).
  await deleteKinds(['deployment', 'replicaset']);
  await waitUntil(
    async () => {
      const left = (await listTourObjects(scope, runId)).filter((o) => o.startsWith('deployment/') || o.startsWith('replicaset/'));
      return doneIf(left.length === 0, `still listed: ${left.join(', ')}`);
    },
    { ...timing, what: `the tour's Deployments and ReplicaSets (label ${labelSelector}) to be gone` },
  );
  await deleteKinds(TOUR_KINDS.filter((kind) => kind !== 'deployment' && kind !== 'replicaset'));
  // A ReplicaSet controller that had not yet seen its ReplicaSet go may still create one Pod: a Pod listed is
  // deleted again, and only two empty lists one poll apart end the wait.
  let emptyBefore = false;
  await waitUntil(
    async () => {
      const left = await listTourObjects(scope, runId);
      if (left.some((o) => o.startsWith('pod/'))) await deleteKinds(['pod']);
      const done = left.length === 0 && emptyBefore;
      emptyBefore = left.length === 0;
      return doneIf(done, left.length === 0 ? 'none listed, looking once more' : `still listed: ${left.join(', ')}`);
    },
    { ...timing, what: `the tour's objects (label ${labelSelector}) to be gone` },
  );
  return { deleted };
}
