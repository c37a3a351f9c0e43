import { KindlabError } from '../../common/kindlab-error.js';
import { doneWith, notYet, waitUntil } from '../../common/wait-until.js';
import type { ActionOutcome } from '../action-outcome.js';
import { eventsFor, formatEvents } from '../object-events.js';
import type { TourContext } from '../tour-context.js';
import { formatWorkload, isRunningAndReady, readWorkload } from './workload-objects.js';

/** Current state drifts from desired state (one pod fewer); the replicaset controller notices and creates a new one. */
export async function deletePod(ctx: TourContext, labDeployment: string): Promise<ActionOutcome> {
  const deployment = ctx.objectName(labDeployment);
  const dep = await ctx.kube.read('deployment', ctx.namespace, deployment);
  const desired = dep.spec?.replicas ?? 1;
  const before = await readWorkload(ctx, deployment);
  const victimPod = before.pods.find(isRunningAndReady);
  const victim = victimPod?.metadata?.name;
  if (!victim) throw new KindlabError(`failed to find a running pod of Deployment ${deployment} to delete`);
  const beforeNames = new Set(before.pods.map((p) => p.metadata?.name ?? ''));
  await ctx.kube.deletePod(ctx.namespace, victim);

  const after = await waitUntil(
    async () => {
      const objects = await readWorkload(ctx, deployment);
      const fresh = objects.pods.filter((p) => !beforeNames.has(p.metadata?.name ?? ''));
      const ready = objects.pods.filter(isRunningAndReady).length;
      const state = `${fresh.length} new pod(s), ${ready}/${desired} Running and Ready`;
      return fresh.length > 0 && ready >= desired ? doneWith({ objects, fresh, ready }, state) : notYet(state);
    },
    { timeoutMs: ctx.timeouts.waitMs, intervalMs: ctx.timeouts.pollMs, signal: ctx.signal, what: `a replacement for pod ${victim}` },
  );
  const replacements = after.fresh.map((p) => p.metadata?.name ?? '');
  const events = (
    await eventsFor(ctx, [
      { kind: 'Pod', name: victim, uid: victimPod?.metadata?.uid },
      ...after.objects.replicaSets.map((r) => ({ kind: 'ReplicaSet', name: r.metadata?.name ?? '', uid: r.metadata?.uid })),
    ])
  ).filter((e) => e.object === `pod/${victim}` || replacements.some((r) => e.message.includes(r)));
  return {
    views: {
      before: { title: 'Before', command: `kubectl delete pod ${victim}`, body: formatWorkload(deployment, `${desired}/${desired}`, before) },
      after: {
        title: 'After',
        command: `kubectl get deployment,replicaset,pod -l app=${deployment}`,
        body: formatWorkload(deployment, `${after.ready}/${desired}`, after.objects),
      },
      events: { title: 'Events', body: formatEvents(events) },
    },
    findings: [`Deleted ${victim}; the replicaset controller created ${replacements.join(', ')} to get back to ${desired} replicas.`],
    facts: { type: 'deletePod', deleted: victim, replacements, desired, ready: after.ready, events },
  };
}
