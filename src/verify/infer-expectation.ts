import type { Snapshot } from '../inspect/snapshot.js';
import type { BuiltInExpectation, Expectation } from './expectation.js';
import { nodesWithRole } from './checks/snapshot-queries.js';
import { loadExpectation } from './load-expectation.js';

/**
 * Without --expect, the built-in that matches the cluster's shape. This only checks that the
 * cluster is healthy as what it is; CI should name the expectation so a missing node fails.
 */
export function inferExpectationName(snapshot: Snapshot): BuiltInExpectation {
  const controlPlanes = nodesWithRole(snapshot, 'control-plane').length;
  const workers = nodesWithRole(snapshot, 'worker').length;
  const externalEtcd = nodesWithRole(snapshot, 'external-etcd').length > 0;
  if (controlPlanes > 1) return 'ha';
  if (externalEtcd && workers > 0) return 'external';
  return workers > 0 ? 'multi' : 'single';
}

/**
 * The inferred built-in, with etcd outside the cluster when the lab has an external etcd container.
 * The `external` built-in describes `lab up multi --etcd external`; single and ha run with external
 * etcd too (`lab up ha --etcd external`), so their node counts come from their own built-in.
 */
export async function inferExpectation(snapshot: Snapshot): Promise<Expectation> {
  const name = inferExpectationName(snapshot);
  const expectation = await loadExpectation(name);
  if (nodesWithRole(snapshot, 'external-etcd').length === 0 || expectation.etcd === 'external') return expectation;
  return {
    ...expectation,
    source: `${expectation.source} with external etcd`,
    description: `${name} topology, etcd in a container outside the cluster`,
    etcd: 'external',
  };
}
