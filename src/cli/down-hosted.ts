import type { HostedLabRecord } from '../hosted/hosted-lab-record.js';
import type { RemovedHostedRun } from '../hosted/remove-hosted-run.js';
import { kindlabHome } from '../common/paths.js';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';

export type HostedDownOutcome =
  | ({ name: string; outcome: 'removed'; hosted: true; host: string } & RemovedHostedRun)
  | { name: string; outcome: 'failed'; hosted: true; host: string; error: string };

/**
 * `lab down` of hosted labs: each through its own host cluster (the record's kubeconfig and
 * context), by its run id. One failing host does not stop the others.
 */
export async function downHostedLabs(records: readonly HostedLabRecord[], signal?: AbortSignal): Promise<HostedDownOutcome[]> {
  const [{ removeHostedRun }, { connectHttpsKubeApi }] = await Promise.all([import('../hosted/remove-hosted-run.js'), import('../kube/https-kube-api.js')]);
  return Promise.all(
    records.map(async (record): Promise<HostedDownOutcome> => {
      try {
        const hostText = readKubeconfigFlag(record.host.kubeconfig, record.host.context, undefined, {
          file: 'the host kubeconfig',
          context: 'the host context',
        });
        const removed = await removeHostedRun(
          { host: connectHttpsKubeApi(hostText), home: kindlabHome() },
          { name: record.name, runId: record.runId, namespace: record.namespace, kubeconfigPath: record.mergedInto },
          signal,
        );
        return { name: record.name, outcome: 'removed', hosted: true, host: record.host.server, ...removed };
      } catch (error) {
        return { name: record.name, outcome: 'failed', hosted: true, host: record.host.server, error: (error as Error).message };
      }
    }),
  );
}

export function describeHostedDown(o: HostedDownOutcome): string {
  return o.outcome === 'removed'
    ? `lab ${o.name} removed from host cluster ${o.host}: ${o.objects.join(', ') || 'nothing was left there'}${o.kubeconfig ? `, context kind-${o.name} from ${o.kubeconfig}` : ''}`
    : `lab ${o.name} not removed from host cluster ${o.host} (failed): ${o.error.split('\n')[0]}`;
}
