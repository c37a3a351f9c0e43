import type { CheckResult } from './check-result.js';
import type { ClusterEvidence } from './cluster-evidence.js';
import type { Expectation } from './expectation.js';
import { communicationChecks } from './checks/communication-checks.js';
import { controlPlaneChecks } from './checks/control-plane-checks.js';
import { etcdChecks } from './checks/etcd-checks.js';
import { loadBalancerChecks } from './checks/load-balancer-checks.js';
import { nodeChecks } from './checks/node-checks.js';
import { sandboxChecks } from './checks/sandbox-checks.js';
import { versionChecks } from './checks/version-checks.js';
import { workerChecks } from './checks/worker-checks.js';

/** All checks, pure: the same evidence and expectation always give the same results. */
export function runChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  return [
    ...nodeChecks(evidence, expectation),
    ...versionChecks(evidence, expectation),
    ...controlPlaneChecks(evidence, expectation),
    ...workerChecks(evidence, expectation),
    ...sandboxChecks(evidence),
    ...loadBalancerChecks(evidence, expectation),
    ...etcdChecks(evidence, expectation),
    ...communicationChecks(evidence, expectation),
  ];
}
