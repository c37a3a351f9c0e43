import { programName } from '../../inspect/identify-component.js';
import type { NodeSnapshot, ProcessRecord } from '../../inspect/snapshot.js';
import { shortId } from './snapshot-queries.js';

export interface SandboxCount {
  ready: number;
  pauses: number;
  /** One line per ready sandbox without exactly one /pause, and per /pause of no ready sandbox. */
  problems: string[];
}

/**
 * Where a node's process list and containerd's ready sandboxes disagree. A pod's app container may
 * run the pause image (the tour's pods do): the join names it a container, and it is no sandbox's
 * pause. A /pause the join could not place (not under a shim) still counts, as a stray.
 */
export function sandboxDisagreements(node: NodeSnapshot): SandboxCount {
  const ready = (node.containerd?.sandboxes ?? []).filter((s) => s.state === 'SANDBOX_READY');
  const pauses = node.processes.filter(isSandboxPause);
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

function isSandboxPause(process: ProcessRecord): boolean {
  return process.identity.kind === 'pause' || (process.identity.kind !== 'container' && programName(process.args) === 'pause');
}
