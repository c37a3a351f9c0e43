import { checkOf, fail, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import { sandboxDisagreements } from './sandbox-disagreements.js';
import { clusterNodes, isRunning } from './snapshot-queries.js';

/** On every node each ready pod sandbox is held by exactly one /pause, and no /pause is left without one. */
export function sandboxChecks(evidence: ClusterEvidence): CheckResult[] {
  const results: CheckResult[] = [];
  for (const node of clusterNodes(evidence.snapshot).filter(isRunning)) {
    const name = `one pause per pod sandbox on ${node.name}`;
    const extra = { node: node.name, component: 'pause' };
    if (!node.containerd) {
      results.push(fail('sandboxes', name, `no containerd view of ${node.name} (crictl did not answer)`, [], extra));
      continue;
    }
    const { ready, pauses, problems } = sandboxDisagreements(node);
    const reads = evidence.sandboxReads?.[node.name];
    // A node read more than once was caught mid-change first; say so either way.
    const readsLine =
      reads && reads.count > 1
        ? [
            `read ${reads.count} times over ${(reads.ms / 1000).toFixed(1)} s: ${problems.length ? 'the disagreement lasted' : `the first read caught a sandbox mid-change (${reads.first})`}`,
          ]
        : [];
    results.push(
      checkOf(
        problems.length === 0,
        'sandboxes',
        name,
        `${ready} ready sandboxes, ${pauses} pause processes on ${node.name}`,
        `pause and sandboxes disagree on ${node.name}: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
        [`${ready} ready sandboxes, ${pauses} pause processes`, ...readsLine, ...problems],
        extra,
      ),
    );
  }
  return results;
}
