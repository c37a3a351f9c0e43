import { dump } from 'js-yaml';
import type { ActionOutcome } from '../action-outcome.js';
import { tourObjectMeta, type TourContext } from '../tour-context.js';

export async function createConfigMap(ctx: TourContext, labName: string, data: Record<string, string>): Promise<ActionOutcome> {
  const name = ctx.objectName(labName);
  const created = await ctx.kube.create('configmap', ctx.namespace, { apiVersion: 'v1', kind: 'ConfigMap', metadata: tourObjectMeta(ctx, name), data });
  const shown = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: created.metadata?.name,
      namespace: created.metadata?.namespace,
      uid: created.metadata?.uid,
      resourceVersion: created.metadata?.resourceVersion,
      labels: created.metadata?.labels,
    },
    data: created.data,
  };
  return {
    views: {
      object: { title: 'Created through the api-server', command: `kubectl get configmap ${name} -o yaml`, body: dump(shown, { lineWidth: 120 }).trimEnd() },
    },
    findings: [`ConfigMap ${ctx.namespace}/${name} created with resourceVersion ${created.metadata?.resourceVersion ?? '?'}.`],
    facts: { type: 'createConfigMap', created: [`${ctx.namespace}/${created.metadata?.name ?? name}`] },
  };
}
