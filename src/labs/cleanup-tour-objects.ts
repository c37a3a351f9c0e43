import type { V1ObjectMeta } from '@kubernetes/client-node';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL } from '../common/labels.js';
import { deadRunIds, type ProcessTable } from '../common/run-owner.js';
import { doneIf, waitUntil } from '../common/wait-until.js';
import type { TourKube } from './tour-context.js';

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

/** What a tour may have created, found by label: the same list cleanup deletes and the e2e test checks. */
export async function listTourObjects(kube: TourKube, namespace: string, lab: string, runId?: string): Promise<string[]> {
  return (await listTourObjectMeta(kube, namespace, lab, runId)).map(({ kind, meta }) => `${kind}/${meta.name ?? ''}`);
}

async function listTourObjectMeta(kube: TourKube, namespace: string, lab: string, runId?: string): Promise<Array<{ kind: string; meta: V1ObjectMeta }>> {
  const labelSelector = tourLabelSelector(lab, runId);
  const [deployments, replicaSets, pods, configMaps] = await Promise.all([
    kube.apps.listNamespacedDeployment({ namespace, labelSelector }),
    kube.apps.listNamespacedReplicaSet({ namespace, labelSelector }),
    kube.core.listNamespacedPod({ namespace, labelSelector }),
    kube.core.listNamespacedConfigMap({ namespace, labelSelector }),
  ]);
  const of = (kind: string, items: Array<{ metadata?: V1ObjectMeta }>) => items.map((o) => ({ kind, meta: o.metadata ?? {} }));
  return [...of('deployment', deployments.items), ...of('replicaset', replicaSets.items), ...of('pod', pods.items), ...of('configmap', configMaps.items)];
}

/**
 * Leftovers of tours that were killed (SIGKILL, a crash, a reboot): removed only when their owner
 * process is provably gone, so a tour running at the same time, even one waiting at a prompt for
 * hours, keeps its objects. Best effort: returns the runs it removed, logs a failure.
 */
export async function removeDeadTourRuns(
  kube: TourKube,
  namespace: string,
  lab: string,
  runId: string,
  options: { waitMs: number; pollMs: number; processes?: ProcessTable; signal?: AbortSignal },
): Promise<string[]> {
  try {
    const objects = await listTourObjectMeta(kube, namespace, lab);
    const dead = deadRunIds(objects.map((o) => o.meta), runId, options.processes);
    for (const run of dead) {
      debug(`removing the objects of tour run ${run}: its process is gone`);
      await cleanupTourObjects(kube, namespace, lab, run, options);
    }
    return dead;
  } catch (error) {
    // Best effort, but Ctrl-C while waiting for them to go ends the tour.
    if (options.signal?.aborted) throw error;
    debug('failed to remove the objects of dead tour runs', error);
    return [];
  }
}

export interface CleanupReport {
  deleted: string[];
}

/**
 * Deletes one tour run's objects by label and waits until the API lists none. It takes its own
 * signal: it runs after Ctrl-C, when the tour's signal is already aborted.
 */
export async function cleanupTourObjects(
  kube: TourKube,
  namespace: string,
  lab: string,
  runId: string,
  options: { waitMs: number; pollMs: number; signal?: AbortSignal },
): Promise<CleanupReport> {
  const labelSelector = tourLabelSelector(lab, runId);
  const deleted = await listTourObjects(kube, namespace, lab, runId);
  if (deleted.length === 0) return { deleted };
  try {
    // Background propagation lets the garbage collector take ReplicaSets and Pods; deleting them too makes it quicker.
    await kube.apps.deleteCollectionNamespacedDeployment({ namespace, labelSelector, propagationPolicy: 'Background' });
    await Promise.all([
      kube.apps.deleteCollectionNamespacedReplicaSet({ namespace, labelSelector, propagationPolicy: 'Background' }),
      kube.core.deleteCollectionNamespacedPod({ namespace, labelSelector, gracePeriodSeconds: 0 }),
      kube.core.deleteCollectionNamespacedConfigMap({ namespace, labelSelector }),
    ]);
  } catch (cause) {
    throw new KindlabError(`failed to delete the tour's objects (label ${labelSelector})`, {
      cause,
      hint: `kubectl delete deployment,replicaset,pod,configmap -n ${namespace} -l ${labelSelector}`,
    });
  }
  await waitUntil(
    async () => {
      const left = await listTourObjects(kube, namespace, lab, runId);
      return doneIf(left.length === 0, `still listed: ${left.join(', ')}`);
    },
    {
      timeoutMs: options.waitMs,
      intervalMs: options.pollMs,
      // Usually none: this cleanup is what an interrupted tour runs.
      ...(options.signal ? { signal: options.signal } : {}),
      what: `the tour's objects (label ${labelSelector}) to be gone`,
    },
  );
  return { deleted };
}
