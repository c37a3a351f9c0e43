import { checkOf, fail, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import { clusterNodes, isPause, isRunning, shortId } from './snapshot-queries.js';

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
    const ready = node.containerd.sandboxes.filter((s) => s.state === 'SANDBOX_READY');
    const pauses = node.processes.filter(isPause);
    const problems: string[] = [];
    const claimed = new Set<number>();
    for (const sandbox of ready) {
      const mine = pauses.filter((p) => p.identity.sandboxId === sandbox.id || (sandbox.pid !== undefined && p.pid === sandbox.pid));
      mine.forEach((p) => claimed.add(p.pid));
      if (mine.length !== 1) {
        problems.push(
          `sandbox ${shortId(sandbox.id)} of pod ${sandbox.pod.namespace}/${sandbox.pod.name}: ${mine.length} pause processes${mine.length ? ` (${mine.map((p) => p.pid).join(', ')})` : ''}`,
        );
      }
    }
    const orphans = pauses.filter((p) => !claimed.has(p.pid));
    for (const orphan of orphans) problems.push(`pause pid ${orphan.pid} belongs to no ready sandbox`);
    results.push(
      checkOf(
        problems.length === 0,
        'sandboxes',
        name,
        `${ready.length} ready sandboxes, ${pauses.length} pause processes on ${node.name}`,
        `pause and sandboxes disagree on ${node.name}: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
        [`${ready.length} ready sandboxes, ${pauses.length} pause processes`, ...problems],
        extra,
      ),
    );
  }
  return results;
}
