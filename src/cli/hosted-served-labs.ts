import { readFileSync } from 'node:fs';
import type { HostedLabRecord } from '../hosted/hosted-lab-record.js';
import type { ApiPathDependencies } from '../inspect/k8s/api-inspect-dependencies.js';
import type { ApiServedLab } from '../serve/serve-labs.js';
import { hostedLabStatuses } from './hosted-statuses.js';

/** The API path's edges for a hosted lab, through its own kubeconfig: agent pods inside the lab read its nodes. */
export async function hostedApiDependencies(record: HostedLabRecord, signal?: AbortSignal): Promise<ApiPathDependencies> {
  const [{ apiPathDependencies }, { connectHttpsKubeApi }] = await Promise.all([
    import('../inspect/k8s/api-inspect-dependencies.js'),
    import('../kube/https-kube-api.js'),
  ]);
  return apiPathDependencies(
    { kubeconfigText: readFileSync(record.kubeconfig, 'utf8'), cluster: record.name, ...(signal ? { signal } : {}) },
    connectHttpsKubeApi,
  );
}

/**
 * A hosted lab on the live page (`lab serve`, `lab tour --serve`). Given `deps`, their owner (the tour)
 * removes the agents; else the page does when it stops.
 */
export async function hostedServedLab(record: HostedLabRecord, deps?: ApiPathDependencies): Promise<ApiServedLab> {
  const api = deps ?? (await hostedApiDependencies(record));
  return {
    name: record.name,
    inspect: api,
    connect: () => api.connectKube(),
    status: async () => (await hostedLabStatuses([record]))[0]!,
    dispose: deps ? async () => {} : () => api.dispose(),
  };
}
