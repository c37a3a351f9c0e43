import type { V1Pod } from '@kubernetes/client-node';
import type { ActionOutcome } from '../action-outcome.js';
import { formatEvents, eventsFor } from '../object-events.js';
import { formatAge, formatTable } from '../format-table.js';
import { pollUntil } from '../poll-until.js';
import { tourPodSpec } from '../tour-pod-spec.js';
import { tourObjectMeta, type TourContext } from '../tour-context.js';

/** A pod with no node: the scheduler picks one and says so in a Scheduled event; then that node's kubelet starts it. */
export async function createPod(ctx: TourContext, labName: string): Promise<ActionOutcome> {
  const name = ctx.objectName(labName);
  const image = await ctx.podImage();
  const created = await ctx.kube.create('pod', ctx.namespace, { apiVersion: 'v1', kind: 'Pod', metadata: tourObjectMeta(ctx, name), spec: tourPodSpec(image) });
  const poll = { timeoutMs: ctx.timeouts.waitMs, intervalMs: ctx.timeouts.pollMs, signal: ctx.signal };
  await pollUntil(
    async () => {
      const events = await eventsFor(ctx, [{ kind: 'Pod', name, uid: created.metadata?.uid }]);
      return events.some((e) => e.reason === 'Scheduled') ? events : undefined;
    },
    { ...poll, what: `the Scheduled event of pod ${name}` },
  );
  let pod: V1Pod | undefined;
  let running = true;
  try {
    pod = await pollUntil(
      async () => {
        const p = await ctx.kube.read('pod', ctx.namespace, name);
        return p.status?.phase === 'Running' ? p : undefined;
      },
      { ...poll, what: `pod ${name} to run` },
    );
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    running = false;
    pod = await ctx.kube.read('pod', ctx.namespace, name);
  }
  const events = await eventsFor(ctx, [{ kind: 'Pod', name, uid: created.metadata?.uid }]);
  const node = pod.spec?.nodeName;
  const nodeInfo = [...ctx.topology.controlPlanes, ...ctx.topology.workers].find((c) => c.name === node);
  const findings = [
    node
      ? `The scheduler assigned ${name} to ${node}${nodeInfo?.role === 'worker' ? ', a worker' : nodeInfo?.role === 'control-plane' ? ', the control plane' : ''}; its kubelet then started the containers.`
      : `${name} has no node yet.`,
  ];
  if (ctx.topology.kind === 'single') findings.push('Single node: the only candidate is the control plane, which kind left without a NoSchedule taint.');
  else if (nodeInfo?.role === 'worker') findings.push('The control plane carries a NoSchedule taint, so only workers were candidates.');
  if (!running) findings.push(`The pod is ${pod.status?.phase ?? 'unknown'}, not Running: ${pod.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''}`);
  return {
    views: {
      pod: {
        title: 'The pod',
        command: `kubectl get pod ${name} -o wide`,
        body: formatTable(
          ['NAME', 'STATUS', 'NODE', 'IP', 'AGE', 'IMAGE'],
          [[name, pod.status?.phase ?? '', node ?? '<none>', pod.status?.podIP ?? '<none>', formatAge(pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp) : undefined, ctx.now()), image]],
        ),
      },
      events: { title: 'Its events', command: `kubectl get events --field-selector involvedObject.name=${name}`, body: formatEvents(events) },
    },
    findings,
    facts: { type: 'createPod', created: [`${ctx.namespace}/${name}`], node, events },
  };
}
