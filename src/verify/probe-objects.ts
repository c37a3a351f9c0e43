import type { V1ObjectMeta } from '@kubernetes/client-node';
import { doneIf, waitUntil } from '../common/wait-until.js';
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
  // No signal: this is the cleanup an interrupted verify runs.
  await waitUntil(
    async () => {
      const left = await listProbeObjects(api, namespace, labelSelector);
      return doneIf(left.length === 0, `left: ${left.map((m) => m.name).join(', ')}`);
    },
    { what: `the probe objects labelled ${labelSelector} in ${namespace} to be deleted`, timeoutMs: DELETE_TIMEOUT_MS, intervalMs: 500 },
  );
}
