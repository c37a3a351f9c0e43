import { doneIf, type WaitCheckResult } from '../common/wait-until.js';
import type { KubeApi } from '../kube/kube-api.js';
import { readKubeSystemPods, readNodeSummaries } from './kube-nodes.js';

/** One look: all `expected` nodes are there and Ready (`lab up`, `lab resume`). */
export async function checkNodesReady(kube: KubeApi, expected: number): Promise<WaitCheckResult<undefined>> {
  const nodes = await readNodeSummaries(kube);
  const ready = nodes.filter((n) => n.status === 'Ready').length;
  return doneIf(nodes.length === expected && ready === expected, `${ready}/${expected} Ready`);
}

/** One look: every kube-system pod Running and Ready (or Succeeded). Ready, not just Running: CoreDNS must answer, kube-proxy must have its rules. */
export async function checkKubeSystemPodsReady(kube: KubeApi): Promise<WaitCheckResult<undefined>> {
  const pods = await readKubeSystemPods(kube);
  const pending = pods.filter((p) => p.phase !== 'Succeeded' && !(p.phase === 'Running' && p.ready));
  const waiting = pending.length
    ? ` (waiting: ${pending
        .map((p) => p.name)
        .slice(0, 3)
        .join(', ')})`
    : '';
  return doneIf(pods.length > 0 && pending.length === 0, `${pods.length - pending.length}/${pods.length} Running and Ready${waiting}`);
}
