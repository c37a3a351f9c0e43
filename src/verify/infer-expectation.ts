import type { Snapshot } from '../inspect/snapshot.js';
import type { BuiltInExpectation } from './expectation.js';
import { nodesWithRole } from './checks/snapshot-queries.js';

/**
 * Without --expect, the built-in that matches the cluster's shape. This only checks that the
 * cluster is healthy as what it is; CI should name the expectation so a missing node fails.
 */
export function inferExpectationName(snapshot: Snapshot): BuiltInExpectation {
  if (nodesWithRole(snapshot, 'external-etcd').length > 0) return 'external';
  const controlPlanes = nodesWithRole(snapshot, 'control-plane').length;
  if (controlPlanes > 1) return 'ha';
  return nodesWithRole(snapshot, 'worker').length > 0 ? 'multi' : 'single';
}
