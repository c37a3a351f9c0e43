import type { CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { podComponentCheck, systemComponentCheck } from './component-checks.js';
import { nodesWithRole } from './snapshot-queries.js';

/**
 * Every worker runs kubelet and containerd (node daemons) and kube-proxy and the CNI daemon (pods).
 * Without workers the control planes carry the workloads, so they are checked instead.
 */
export function workerChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  const workers = nodesWithRole(evidence.snapshot, 'worker');
  const nodes = workers.length > 0 ? workers : nodesWithRole(evidence.snapshot, 'control-plane');
  return nodes.flatMap((node) => [
    systemComponentCheck(node, 'kubelet', 'workers'),
    systemComponentCheck(node, 'containerd', 'workers'),
    podComponentCheck(evidence.snapshot, node, 'kube-proxy', { group: 'workers', mustBeStatic: false }),
    podComponentCheck(evidence.snapshot, node, expectation.cni, { group: 'workers', mustBeStatic: false }),
  ]);
}
