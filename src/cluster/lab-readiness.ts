import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { doneIf, type WaitCheckResult } from '../common/wait-until.js';
import type { KubeApi } from '../kube/kube-api.js';
import { summarizeNode, summarizePod } from './kube-nodes.js';

/*
 * The checks `lab up`, `lab resume` and `lab start` wait on. After a start the API still holds what
 * the nodes reported before they stopped (recorded: a worker still Ready with a heartbeat from before
 * the stop, test/fixtures/lab-stop-start), so with `since` (node name -> when its container last
 * started, ms) a node counts only once its kubelet has reported Ready after its container started,
 * and a pod only once its containers started after its node's container did: every container of a
 * restarted node is a new one. This holds after `lab start` and after a daemon restart alike.
 */
export type NodeStarts = ReadonlyMap<string, number>;

/** Allowed clock difference between kindlab and the node containers (both read the host's clock). */
const CLOCK_SLACK_MS = 2000;

/** One look: all `expected` nodes are there and Ready (reported since each node's start, with `since`). */
export async function checkNodesReady(kube: KubeApi, expected: number, since?: NodeStarts): Promise<WaitCheckResult<undefined>> {
  return nodesReady(await kube.listNodes(), expected, since);
}

/** checkNodesReady on nodes already listed. */
export function nodesReady(nodes: readonly V1Node[], expected: number, since?: NodeStarts): WaitCheckResult<undefined> {
  const ready = nodes.filter((n) => summarizeNode(n).status === 'Ready' && reportedSince(n, since)).length;
  return doneIf(
    nodes.length === expected && ready === expected,
    `${ready}/${expected} Ready${since === undefined ? '' : ' (reported since each node started)'}`,
  );
}

/** One look: every kube-system pod Running and Ready (or Succeeded). Ready, not just Running: CoreDNS must answer, kube-proxy must have its rules. */
export async function checkKubeSystemPodsReady(kube: KubeApi, since?: NodeStarts): Promise<WaitCheckResult<undefined>> {
  const pods = await kube.list('pod', 'kube-system');
  const pending = pods.filter((p) => {
    const pod = summarizePod(p);
    return pod.phase !== 'Succeeded' && !(pod.phase === 'Running' && pod.ready && startedSince(p, since));
  });
  const waiting = pending.length
    ? ` (waiting: ${pending
        .map((p) => summarizePod(p).name)
        .slice(0, 3)
        .join(', ')})`
    : '';
  return doneIf(pods.length > 0 && pending.length === 0, `${pods.length - pending.length}/${pods.length} Running and Ready${waiting}`);
}

function reportedSince(node: V1Node, since: NodeStarts | undefined): boolean {
  const started = since?.get(node.metadata?.name ?? '');
  if (started === undefined) return true;
  const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  return heartbeat !== undefined && new Date(heartbeat).getTime() >= started - CLOCK_SLACK_MS;
}

function startedSince(pod: V1Pod, since: NodeStarts | undefined): boolean {
  const nodeStarted = since?.get(pod.spec?.nodeName ?? '');
  if (nodeStarted === undefined) return true;
  const statuses = pod.status?.containerStatuses ?? [];
  return (
    statuses.length > 0 &&
    statuses.every((s) => {
      const started = s.state?.running?.startedAt;
      return started !== undefined && new Date(started).getTime() >= nodeStarted - CLOCK_SLACK_MS;
    })
  );
}
