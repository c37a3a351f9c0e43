import { waitUntil } from '../common/wait-until.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { KIND_ROLE_LABEL } from '../common/labels.js';
import type { KubeApi } from '../kube/kube-api.js';
import type { LabDeps } from './lab-deps.js';
import { checkKubeSystemPodsReady, checkNodesReady } from './lab-readiness.js';
import { requireLabContainers } from './suspend-lab.js';

const debug = createDebugLogger('resume');

/**
 * How long the nodes must stay Ready after the thaw before the lab counts as back. The node
 * lifecycle controller (kube-controller-manager) checks every node's heartbeat every
 * --node-monitor-period (5 s): after a long freeze its first pass can find the node Leases stale
 * (the kubelets have not renewed them yet) and mark the nodes Unknown, a moment after they looked
 * Ready. Ready seen for longer than one monitor period after the thaw means the controller has seen
 * the fresh heartbeats: the state `lab verify` and the participant need.
 */
export const READY_SETTLE_MS = 6000;

export interface ResumeOptions {
  /** One budget for the whole wait (nodes Ready and settled, kube-system pods Ready), in ms. */
  waitMs: number;
  /** Tests only: a shorter settle time than READY_SETTLE_MS. */
  settleMs?: number;
  signal?: AbortSignal;
  onProgress?: (state: string) => void;
}

export interface ResumeResult {
  name: string;
  unpaused: string[];
  /** From the thaw to the lab Ready and settled. */
  readyMs: number;
}

/**
 * `lab resume`: thaws every frozen container of the lab (`docker unpause`), then waits for what
 * `lab verify` needs: every node Ready and still Ready one node-monitor period later (fresh
 * heartbeats accepted), and every kube-system pod Running and Ready.
 */
export async function resumeLab(deps: LabDeps, name: string, options: ResumeOptions): Promise<ResumeResult> {
  const containers = await requireLabContainers(deps.docker, name);
  const paused = containers.filter((c) => c.state === 'paused');
  const expectedNodes = containers.filter((c) => ['control-plane', 'worker'].includes(c.labels[KIND_ROLE_LABEL] ?? '')).length;
  const deadline = Date.now() + options.waitMs;
  await deps.docker.unpauseContainers(paused.map((c) => c.id));
  const thawed = Date.now();
  debug(
    'unpaused',
    paused.map((c) => c.name),
  );
  const kube = deps.kube(await (await deps.kind()).getKubeconfig(name));
  await waitForSettledLab(kube, expectedNodes, { ...options, deadline });
  return { name, unpaused: paused.map((c) => c.name), readyMs: Date.now() - thawed };
}

/** Nodes Ready without a break for READY_SETTLE_MS, then kube-system pods Ready; a node seen not Ready starts the settle time over. */
export async function waitForSettledLab(
  kube: KubeApi,
  expectedNodes: number,
  options: { deadline: number; signal?: AbortSignal; onProgress?: (state: string) => void; settleMs?: number; intervalMs?: number },
): Promise<void> {
  const settleMs = options.settleMs ?? READY_SETTLE_MS;
  const common = {
    deadline: options.deadline,
    intervalMs: options.intervalMs ?? 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    hint: 'a frozen lab may need longer on a busy machine: give --wait more',
  };
  let readySince: number | undefined;
  await waitUntil(
    async () => {
      const nodes = await checkNodesReady(kube, expectedNodes);
      if (!nodes.done) {
        readySince = undefined;
        return nodes;
      }
      readySince ??= Date.now();
      const held = Date.now() - readySince;
      return held >= settleMs ? nodes : { done: false, state: `${nodes.state ?? ''}, held ${Math.floor(held / 1000)}s of ${settleMs / 1000}s` };
    },
    { ...common, what: `nodes Ready for ${settleMs / 1000}s after the thaw` },
  );
  await waitUntil(() => checkKubeSystemPodsReady(kube), { ...common, what: 'kube-system pods Running and Ready' });
}
