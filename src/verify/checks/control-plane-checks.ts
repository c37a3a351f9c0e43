import type { CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { podComponentCheck } from './component-checks.js';
import { nodesWithRole } from './snapshot-queries.js';

export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager'] as const;

/** Every control plane runs the API server, scheduler, controller manager (and stacked etcd) as static pods. */
export function controlPlaneChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  const components: string[] = [...CONTROL_PLANE_COMPONENTS];
  if (expectation.etcd === 'stacked') components.push('etcd');
  return nodesWithRole(evidence.snapshot, 'control-plane').flatMap((node) =>
    components.map((component) => podComponentCheck(evidence.snapshot, node, component, { group: 'control-plane', mustBeStatic: true })),
  );
}
