import type { NodeSnapshot } from '../../inspect/snapshot.js';
import { isPause, shortId } from './snapshot-queries.js';

export interface SandboxCount {
  ready: number;
  pauses: number;
  /** One line per ready sandbox without exactly one /pause, and per /pause of no ready sandbox. */
  problems: string[];
}

/** Where a node's process list and containerd's ready sandboxes disagree (isPause: app containers running the pause image are none). */
export function sandboxDisagreements(node: NodeSnapshot): SandboxCount {
  const ready = (node.containerd?.sandboxes ?? []).filter((s) => s.state === 'SANDBOX_READY');
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
  for (const orphan of pauses.filter((p) => !claimed.has(p.pid))) problems.push(`pause pid ${orphan.pid} belongs to no ready sandbox`);
  return { ready: ready.length, pauses: pauses.length, problems };
}
