import { doneWith, notYet, waitUntil } from '../../common/wait-until.js';
import type { ActionOutcome } from '../action-outcome.js';
import { eventsFor, formatEvents } from '../object-events.js';
import { tourPodSpec } from '../tour-pod-spec.js';
import { tourObjectMeta, type TourContext } from '../tour-context.js';
import { formatWorkload, isRunningAndReady, readWorkload } from './workload-objects.js';

/**
 * The controller loop made visible: the tour writes only a Deployment; the deployment controller
 * creates a ReplicaSet, the replicaset controller creates the Pods (both in kube-controller-manager).
 */
export async function createDeployment(ctx: TourContext, labName: string, replicas: number): Promise<ActionOutcome> {
  const name = ctx.objectName(labName);
  const image = await ctx.podImage();
  const deployment = await ctx.kube.create('deployment', ctx.namespace, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: tourObjectMeta(ctx, name),
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, ...ctx.objectLabels } }, spec: tourPodSpec(image) },
    },
  });
  const settled = await waitUntil(
    async () => {
      const objects = await readWorkload(ctx, name);
      const ready = objects.pods.filter(isRunningAndReady).length;
      const events = await eventsFor(ctx, [
        { kind: 'Deployment', name, uid: deployment.metadata?.uid },
        ...objects.replicaSets.map((r) => ({ kind: 'ReplicaSet', name: r.metadata?.name ?? '', uid: r.metadata?.uid })),
      ]);
      const podsCreated = events.filter((e) => e.reason === 'SuccessfulCreate').length;
      const state = `${ready}/${replicas} pods Running and Ready, ${podsCreated} SuccessfulCreate event(s)`;
      return ready >= replicas && podsCreated >= replicas ? doneWith({ objects, ready, events }, state) : notYet(state);
    },
    { timeoutMs: ctx.timeouts.waitMs, intervalMs: ctx.timeouts.pollMs, signal: ctx.signal, what: `${replicas} ready pods of Deployment ${name}` },
  );
  const rs = settled.objects.replicaSets[0]?.metadata?.name ?? '?';
  const nodes = [...new Set(settled.objects.pods.map((p) => p.spec?.nodeName ?? '?'))];
  return {
    views: {
      objects: {
        title: 'What the controllers made of one Deployment',
        command: `kubectl get deployment,replicaset,pod -l app=${name} -o wide`,
        body: formatWorkload(name, `${settled.ready}/${replicas}`, settled.objects),
      },
      events: {
        title: "The controller-manager's events",
        command: `kubectl get events --field-selector involvedObject.kind!=Pod`,
        body: formatEvents(settled.events),
      },
    },
    findings: [`deployment-controller created ReplicaSet ${rs}; replicaset-controller created ${replicas} pod(s), running on ${nodes.join(', ')}.`],
    facts: { type: 'createDeployment', created: [`${ctx.namespace}/${name}`], desired: replicas, ready: settled.ready, events: settled.events },
  };
}
