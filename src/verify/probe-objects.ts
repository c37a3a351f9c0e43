import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kube-api.js';

const DELETE_TIMEOUT_MS = 60_000;

/** Metadata of the probe pods and services matching the selector (to find a dead run's leftovers). */
export async function listProbeObjects(api: KubeApi, namespace: string, labelSelector: string): Promise<V1ObjectMeta[]> {
  const [pods, services] = await Promise.all([api.list('pod', namespace, labelSelector), api.list('service', namespace, labelSelector)]);
  return [...pods, ...services].map((o) => o.metadata ?? {});
}

/** Deletes the probe pods (grace period 0) and services matching the selector, and waits until they are gone. */
export async function deleteProbeObjects(api: KubeApi, namespace: string, labelSelector: string): Promise<void> {
  await Promise.all([api.deleteLabelled('pod', namespace, labelSelector), api.deleteLabelled('service', namespace, labelSelector)]);
  // The command exits right after: wait until the objects are really gone, so it leaves nothing behind.
  const deadline = Date.now() + DELETE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await listProbeObjects(api, namespace, labelSelector)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`failed to delete the probe objects labelled ${labelSelector} in ${namespace} within ${DELETE_TIMEOUT_MS / 1000}s`);
}
