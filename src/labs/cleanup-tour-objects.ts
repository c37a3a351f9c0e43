import { KindlabError } from '../common/kindlab-error.js';
import { LAB_COMPONENT_LABEL, LAB_LABEL } from '../common/labels.js';
import { pollUntil } from './poll-until.js';
import type { TourKube } from './tour-context.js';

export const TOUR_COMPONENT = 'tour';

export function tourObjectLabels(lab: string): Record<string, string> {
  return { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: TOUR_COMPONENT };
}

export function tourLabelSelector(lab: string): string {
  return Object.entries(tourObjectLabels(lab))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Everything the tour may have created, found by label; the same list cleanup deletes and the e2e test checks. */
export async function listTourObjects(kube: TourKube, namespace: string, lab: string): Promise<string[]> {
  const labelSelector = tourLabelSelector(lab);
  const [deployments, replicaSets, pods, configMaps] = await Promise.all([
    kube.apps.listNamespacedDeployment({ namespace, labelSelector }),
    kube.apps.listNamespacedReplicaSet({ namespace, labelSelector }),
    kube.core.listNamespacedPod({ namespace, labelSelector }),
    kube.core.listNamespacedConfigMap({ namespace, labelSelector }),
  ]);
  return [
    ...deployments.items.map((o) => `deployment/${o.metadata?.name ?? ''}`),
    ...replicaSets.items.map((o) => `replicaset/${o.metadata?.name ?? ''}`),
    ...pods.items.map((o) => `pod/${o.metadata?.name ?? ''}`),
    ...configMaps.items.map((o) => `configmap/${o.metadata?.name ?? ''}`),
  ];
}

export interface CleanupReport {
  deleted: string[];
}

/**
 * Deletes the tour's objects by label and waits until the API lists none. It takes its own signal:
 * it runs after Ctrl-C, when the tour's signal is already aborted.
 */
export async function cleanupTourObjects(
  kube: TourKube,
  namespace: string,
  lab: string,
  options: { waitMs: number; pollMs: number; signal?: AbortSignal },
): Promise<CleanupReport> {
  const labelSelector = tourLabelSelector(lab);
  const deleted = await listTourObjects(kube, namespace, lab);
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
  await pollUntil(async () => ((await listTourObjects(kube, namespace, lab)).length === 0 ? true : undefined), {
    timeoutMs: options.waitMs,
    intervalMs: options.pollMs,
    signal: options.signal ?? new AbortController().signal,
    what: `the tour's objects (label ${labelSelector}) to be gone`,
  });
  return { deleted };
}
