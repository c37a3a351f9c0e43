import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { formatTable } from '../../common/format-table.js';
import type { TourContext } from '../tour-context.js';
import { compareText } from '../../common/compare-text.js';

/** Pods of a tour Deployment are found by the `app` label the tour gave its pod template. */
export function appSelector(deployment: string): string {
  return `app=${deployment}`;
}

export interface WorkloadObjects {
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
}

export async function readWorkload(ctx: TourContext, deployment: string): Promise<WorkloadObjects> {
  const labelSelector = appSelector(deployment);
  const [rs, pods] = await Promise.all([ctx.kube.list('replicaset', ctx.namespace, labelSelector), ctx.kube.list('pod', ctx.namespace, labelSelector)]);
  return {
    replicaSets: rs.filter((r) => r.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === deployment)),
    pods: pods.sort((a, b) => compareText(a.metadata?.name ?? '', b.metadata?.name ?? '')),
  };
}

export function isRunningAndReady(pod: V1Pod): boolean {
  return (
    pod.metadata?.deletionTimestamp === undefined &&
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)
  );
}

export function formatWorkload(deployment: string, ready: string, objects: WorkloadObjects): string {
  const owner = (o: { metadata?: { ownerReferences?: Array<{ kind: string; name: string }> } }): string =>
    o.metadata?.ownerReferences?.map((r) => `${r.kind}/${r.name}`).join(',') ?? '-';
  const rows: string[][] = [[`deployment.apps/${deployment}`, ready, '-', '-']];
  for (const rs of objects.replicaSets) {
    rows.push([`replicaset.apps/${rs.metadata?.name ?? ''}`, `${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0}`, '-', owner(rs)]);
  }
  for (const pod of objects.pods) {
    const status = pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? '');
    rows.push([`pod/${pod.metadata?.name ?? ''}`, status, pod.spec?.nodeName ?? '<none>', owner(pod)]);
  }
  return formatTable(['NAME', 'READY/STATUS', 'NODE', 'OWNED BY'], rows);
}
