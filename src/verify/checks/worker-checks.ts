import type { CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { podComponentCheck, systemComponentCheck } from './component-checks.js';
import { findComponentProcess, nodesWithRole } from './snapshot-queries.js';
import type { NodeSnapshot } from '../../inspect/snapshot.js';
import { fail } from '../check-result.js';

/** The first accepted CNI daemon that runs on the node, checked like any pod component. */
function cniCheck(evidence: ClusterEvidence, node: NodeSnapshot, accepted: readonly string[]): CheckResult {
  const running = accepted.find((name) => findComponentProcess(node, name));
  if (running) return podComponentCheck(evidence.snapshot, node, running, { group: 'workers', mustBeStatic: false });
  if (accepted.length === 1) return podComponentCheck(evidence.snapshot, node, accepted[0]!, { group: 'workers', mustBeStatic: false });
  const down = node.container.state !== 'running';
  return fail(
    'workers',
    `CNI daemon on ${node.name}`,
    down
      ? `the CNI daemon cannot run on ${node.name}: the node container is ${node.container.state}`
      : `no CNI daemon (${accepted.join(' or ')}) runs on ${node.name}`,
    [`looked for processes named ${accepted.join(', ')} among ${node.processes.length}`],
    { node: node.name, component: 'cni' },
  );
}

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
    cniCheck(evidence, node, expectation.cni),
  ]);
}
