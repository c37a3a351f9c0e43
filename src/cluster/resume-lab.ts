import { waitUntil } from '../common/wait-until.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL } from '../common/labels.js';
import { adminKubeconfigSource, readAdminKubeconfig } from '../inspect/k8s/admin-kubeconfig.js';
import { DockerNodeExec } from '../node/docker-node-exec.js';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kube-api.js';
import type { LabDeps } from './lab-deps.js';
import { checkKubeSystemPodsReady, nodesReady } from './lab-readiness.js';
import { requireLabContainers } from './suspend-lab.js';
import { parseDuration } from '../topology/parse-duration.js';

const debug = createDebugLogger('resume');

/**
 * How long the nodes must stay Ready after the thaw before the lab counts as back: one
 * --node-monitor-period of kube-controller-manager (read from its pods, see nodeMonitorPeriodMs) and
 * this margin. The node lifecycle controller checks every node's heartbeat once a period: after a
 * long freeze its first pass can find the node Leases stale (the kubelets have not renewed them yet)
 * and mark the nodes Unknown, a moment after they looked Ready. Ready seen for longer than one
 * monitor period after the thaw means the controller has seen the fresh heartbeats: the state
 * `lab verify` and the participant need.
 * A node whose Ready condition turned True after the thaw needs no settle time: something (the
 * controller, marking it Unknown) took it out of Ready since the thaw and its kubelet put it back,
 * and the controller takes that fresh status as a heartbeat (see readyAgainSinceThaw).
 */
export const SETTLE_MARGIN_MS = 1000;

/** kube-controller-manager's own default --node-monitor-period. */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5000;

/**
 * How often the nodes and pods are looked at after the thaw. The wait ends at a moment set by the
 * kubelet (its status update puts the node back to Ready); a look every 250 ms sees it within a
 * quarter second, at the cost of a few list calls to an API that is idle otherwise.
 */
const RESUME_POLL_MS = 250;

export interface ResumeOptions {
  /** One budget for the whole wait (nodes Ready and settled, kube-system pods Ready), in ms. */
  waitMs: number;
  /** Tests only: a settle time of their own instead of the node-monitor period plus SETTLE_MARGIN_MS. */
  settleMs?: number;
  signal?: AbortSignal;
  onProgress?: (state: string) => void;
}

export interface ResumeResult {
  name: string;
  unpaused: string[];
  /** From the thaw to the lab Ready and settled. */
  readyMs: number;
  /** The lab's kubeconfig as `kind get kubeconfig` would print it (admin.conf, pointed at the published API port). */
  kubeconfig: string;
}

/**
 * `lab resume`: thaws every frozen container of the lab (`docker unpause`), then waits for what
 * `lab verify` needs: every node Ready and still Ready one node-monitor period later (fresh
 * heartbeats accepted), and every kube-system pod Running and Ready. A lab with nothing frozen is
 * only checked (no settle time).
 */
export async function resumeLab(deps: LabDeps, name: string, options: ResumeOptions): Promise<ResumeResult> {
  const containers = await requireLabContainers(deps.docker, name);
  const paused = containers.filter((c) => c.state === 'paused');
  const expectedNodes = containers.filter((c) => ['control-plane', 'worker'].includes(c.labels[KIND_ROLE_LABEL] ?? '')).length;
  const deadline = Date.now() + options.waitMs;
  // Taken before the unpause: any change of a node's Ready condition after this is one made after the freeze.
  const thawStarted = Date.now();
  await deps.docker.unpauseContainers(paused.map((c) => c.id));
  const thawed = Date.now();
  debug(
    'unpaused',
    paused.map((c) => c.name),
  );
  // What `kind get kubeconfig` prints, read through the node's root on this host (else one exec): no
  // kind process and its docker runs on the way to a claimed lab. The thawed nodes run now.
  const nodes = containers.filter((c) => c.labels[KIND_CLUSTER_LABEL] === name);
  const kubeconfig = await readAdminKubeconfig(
    new DockerNodeExec(deps.docker),
    nodes.map((c) => adminKubeconfigSource(c.state === 'paused' ? { ...c, state: 'running' } : c)),
  );
  // Nothing thawed (a pool lab kept running): no heartbeat went stale, so nothing can mark the nodes
  // Unknown and there is nothing to settle; the nodes and pods are only checked.
  const settle = paused.length === 0 ? { settleMs: 0 } : {};
  await waitForSettledLab(deps.kube(kubeconfig), expectedNodes, { ...options, deadline, thawStarted, ...settle });
  debug('settled after the thaw in', `${Date.now() - thawed}ms`);
  return { name, unpaused: paused.map((c) => c.name), readyMs: Date.now() - thawed, kubeconfig };
}

/**
 * Nodes Ready without a break for one node-monitor period and SETTLE_MARGIN_MS, or every node back to Ready since `thawStarted`
 * (no settle time needed), then kube-system pods Ready; a node seen not Ready starts the settle time over.
 */
export async function waitForSettledLab(
  kube: KubeApi,
  expectedNodes: number,
  options: {
    deadline: number;
    /** When the thaw began (ms); without it every node waits the settle time. */
    thawStarted?: number;
    signal?: AbortSignal;
    onProgress?: (state: string) => void;
    settleMs?: number;
    intervalMs?: number;
  },
): Promise<void> {
  // Read when first needed: a lab whose nodes all came back to Ready since the thaw never settles.
  let settleMs = options.settleMs;
  const common = {
    deadline: options.deadline,
    intervalMs: options.intervalMs ?? RESUME_POLL_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    hint: 'a frozen lab may need longer on a busy machine: give --wait more',
  };
  let readySince: number | undefined;
  await waitUntil(
    async () => {
      const listed = await kube.listNodes();
      const nodes = nodesReady(listed, expectedNodes);
      if (!nodes.done) {
        readySince = undefined;
        return nodes;
      }
      const thawStarted = options.thawStarted;
      if (thawStarted !== undefined && listed.every((node) => readyAgainSinceThaw(node, thawStarted))) {
        return { done: true, value: undefined, state: `${nodes.state ?? ''}, back to Ready since the thaw` };
      }
      settleMs ??= nodeMonitorPeriodMs(await kube.list('pod', 'kube-system', 'component=kube-controller-manager')) + SETTLE_MARGIN_MS;
      readySince ??= Date.now();
      const held = Date.now() - readySince;
      return held >= settleMs ? nodes : { done: false, state: `${nodes.state ?? ''}, held ${(held / 1000).toFixed(1)}s of ${settleMs / 1000}s` };
    },
    { ...common, what: 'nodes Ready for one node-monitor period after the thaw' },
  );
  await waitUntil(() => checkKubeSystemPodsReady(kube), { ...common, what: 'kube-system pods Running and Ready' });
}

/**
 * The node's Ready condition turned True after the thaw began. Nothing changes while the lab is
 * frozen, so the condition was not True at some moment after the thaw (recorded on a real single lab
 * frozen for 60 s: the node lifecycle controller marked it Unknown at the thaw, the kubelet put it
 * back 11 s later at its next status update) and the kubelet reported it Ready since. The controller
 * takes a changed node status as a fresh heartbeat (its probe time starts over, and its update of a
 * stale copy would conflict and re-read the node), so it does not mark the node Unknown again: the
 * settle time would only wait for what has already happened. Transition times have whole seconds,
 * so the thaw's second counts as after it.
 */
export function readyAgainSinceThaw(node: V1Node, thawStarted: number): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True' || ready.lastTransitionTime === undefined) return false;
  return new Date(ready.lastTransitionTime).getTime() >= Math.floor(thawStarted / 1000) * 1000;
}

/**
 * The node lifecycle controller's period (kube-controller-manager --node-monitor-period) as its
 * static pods run it: the longest when the control planes differ, the controller's default when no
 * pod names the flag (or the pods are not listed, as for a cluster whose controller runs elsewhere).
 */
export function nodeMonitorPeriodMs(controllerManagerPods: readonly V1Pod[]): number {
  const periods = controllerManagerPods.flatMap((pod) =>
    (pod.spec?.containers ?? [])
      .flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])])
      .flatMap((arg) => {
        const match = /^--node-monitor-period=(.+)$/.exec(arg);
        if (!match) return [];
        try {
          return [parseDuration(match[1]!, '--node-monitor-period')];
        } catch {
          return [];
        }
      }),
  );
  return periods.length > 0 ? Math.max(...periods) : DEFAULT_NODE_MONITOR_PERIOD_MS;
}
