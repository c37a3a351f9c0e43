import type { V1Pod } from '@kubernetes/client-node';
import { doneWith, notYet, waitUntil, WaitTimeoutError } from '../../common/wait-until.js';
import type { ActionOutcome } from '../action-outcome.js';
import { formatEvents, eventsFor } from '../object-events.js';
import { formatAgeSince } from '../../common/format-age.js';
import { formatTable } from '../../common/format-table.js';
import { tourPodSpec } from '../tour-pod-spec.js';
import { tourObjectMeta, type TourContext } from '../tour-context.js';

/** A pod with no node: the scheduler picks one and says so in a Scheduled event; then that node's kubelet starts it. */
export async function createPod(ctx: TourContext, labName: string): Promise<ActionOutcome> {
  const name = ctx.objectName(labName);
  const image = await ctx.podImage();
  const created = await ctx.kube.create('pod', ctx.namespace, { apiVersion: 'v1', kind: 'Pod', metadata: tourObjectMeta(ctx, name), spec: tourPodSpec(image) });
  const poll = { timeoutMs: ctx.timeouts.waitMs, intervalMs: ctx.timeouts.pollMs, signal: ctx.signal };
  await waitUntil(
    async () => {
      const events = await eventsFor(ctx, [{ kind: 'Pod', name, uid: created.metadata?.uid }]);
      const scheduled = events.some((e) => e.reason === 'Scheduled');
      return scheduled ? doneWith(events) : notYet(`events so far: ${events.map((e) => e.reason).join(', ') || 'none'}`);
    },
    { ...poll, what: `the Scheduled event of pod ${name}` },
  );
  let pod: V1Pod | undefined;
  let running = true;
  try {
    pod = await waitUntil(
      async () => {
        const p = await ctx.kube.read('pod', ctx.namespace, name);
        return p.status?.phase === 'Running' ? doneWith(p) : notYet(`phase ${p.status?.phase ?? 'unknown'}`);
      },
      { ...poll, what: `pod ${name} to run` },
    );
  } catch (error) {
    // Only a timeout is a finding (the pod did not start); anything else is a failure of the tour.
    if (!(error instanceof WaitTimeoutError)) throw error;
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
          [[name, pod.status?.phase ?? '', node ?? '<none>', pod.status?.podIP ?? '<none>', formatAgeSince(pod.metadata?.creationTimestamp, ctx.now()), image]],
        ),
      },
      events: { title: 'Its events', command: `kubectl get events --field-selector involvedObject.name=${name}`, body: formatEvents(events) },
    },
    findings,
    facts: { type: 'createPod', created: [`${ctx.namespace}/${name}`], node, events },
  };
}
