import { doneIf, waitUntil } from '../common/wait-until.js';
import { removeKubeconfigContext } from '../cluster/kubeconfig-context.js';
import { contextForLab } from '../cluster/kubeconfig-path.js';
import { removeLabKubeconfigFile } from '../cluster/lab-kubeconfig-file.js';
import type { HostedLabDeps } from './hosted-lab-deps.js';
import { HOSTED_CONTAINER, hostedRunSelector } from './hosted-lab-manifests.js';
import { readHostedLabRecord, removeHostedLabRecord } from './hosted-lab-record.js';

export interface HostedRun {
  name: string;
  runId: string;
  namespace: string;
  /** The kubeconfig the lab's context was merged into, when this run merged it. */
  kubeconfigPath: string | undefined;
}

export interface RemovedHostedRun {
  /** The host cluster's objects removed, as kind/name. */
  objects: string[];
  /** The kubeconfig the lab's context was removed from. */
  kubeconfig: string | undefined;
}

/** How long the host's kubelet may take to stop the pod (and with it dockerd and every node inside). */
const POD_GONE_TIMEOUT_MS = 2 * 60_000;

/**
 * Removes one hosted run: kind deletes its nodes inside the pod first (their systemd and kubelet stop
 * as on `lab down` of a local lab; skipped when the pod is not running), then the pod and Service
 * carrying the run's labels go, and the wait ends when the API no longer lists the pod, which is when
 * the host's kubelet has stopped its processes and deleted its emptyDir. Only then do the local
 * kubeconfig context, the lab's kubeconfig file and its record go, the record only if it is this run's.
 */
export async function removeHostedRun(deps: Pick<HostedLabDeps, 'host' | 'home'>, run: HostedRun, signal?: AbortSignal): Promise<RemovedHostedRun> {
  const selector = hostedRunSelector(run.name, run.runId);
  const pods = await deps.host.list('pod', run.namespace, selector);
  const services = await deps.host.list('service', run.namespace, selector);
  await Promise.all(
    pods
      .filter((pod) => pod.status?.phase === 'Running')
      .map((pod) =>
        deps.host
          .execInPod(run.namespace, pod.metadata?.name ?? '', HOSTED_CONTAINER, ['kind', 'delete', 'cluster', '--name', run.name], {
            timeoutMs: 60_000,
            ...(signal ? { signal } : {}),
          })
          .catch(() => undefined),
      ),
  );
  // Gracefully, not at once: the API then lists the pod until the kubelet has stopped its containers,
  // so the wait below ends when dockerd (and whatever kind left inside) is gone from the host node.
  await Promise.all(pods.map((pod) => deps.host.deletePod(run.namespace, pod.metadata?.name ?? '').catch(() => undefined)));
  await deps.host.deleteLabelled('service', run.namespace, selector);
  await waitUntil(
    async () => {
      const left = await deps.host.list('pod', run.namespace, selector);
      return doneIf(left.length === 0, `${left.length} pod(s) left: ${left.map((p) => `${p.metadata?.name} ${p.status?.phase ?? ''}`).join(', ')}`);
    },
    { what: `the pod of run ${run.runId} gone from the host cluster`, timeoutMs: POD_GONE_TIMEOUT_MS, intervalMs: 500, ...(signal ? { signal } : {}) },
  );
  const kubeconfig = run.kubeconfigPath && (await removeKubeconfigContext(run.kubeconfigPath, contextForLab(run.name))) ? run.kubeconfigPath : undefined;
  const record = readHostedLabRecord(run.name, deps.home);
  if (!record || record.runId === run.runId) {
    removeLabKubeconfigFile(run.name);
    removeHostedLabRecord(run.name, deps.home);
  }
  return {
    objects: [...pods.map((p) => `pod/${p.metadata?.name}`), ...services.map((s) => `service/${s.metadata?.name}`)],
    kubeconfig,
  };
}
