import type { LabStatus } from '../cluster/lab-status.js';
import type { HostedLabRecord } from '../hosted/hosted-lab-record.js';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';

/** This machine's hosted labs (all, or the one named), or none without loading anything when it hosts none. */
export async function hostedLabRecords(name?: string): Promise<HostedLabRecord[]> {
  const { listHostedLabRecords, readHostedLabRecord } = await import('../hosted/hosted-lab-record.js');
  if (name === undefined) return listHostedLabRecords();
  const record = readHostedLabRecord(name);
  return record ? [record] : [];
}

/** Each hosted lab's status, through its host cluster and its own API, all at once. */
export async function hostedLabStatuses(records: readonly HostedLabRecord[]): Promise<LabStatus[]> {
  if (records.length === 0) return [];
  const [{ hostedLabStatus }, { connectHttpsKubeApi }] = await Promise.all([import('../hosted/hosted-lab-status.js'), import('../kube/https-kube-api.js')]);
  return Promise.all(
    records.map((record) => {
      const hostText = readKubeconfigFlag(record.host.kubeconfig, record.host.context, undefined, { file: 'the host kubeconfig', context: 'the host context' });
      return hostedLabStatus(record, connectHttpsKubeApi(hostText), connectHttpsKubeApi);
    }),
  );
}
