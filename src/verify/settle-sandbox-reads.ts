import { doneWith, notYet, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import type { NodeSnapshot, Snapshot } from '../inspect/snapshot.js';
import { sandboxDisagreements } from './checks/sandbox-disagreements.js';
import { clusterNodes, isRunning } from './checks/snapshot-queries.js';
import type { ClusterEvidence } from './cluster-evidence.js';

export type NodeReread = (node: NodeSnapshot) => Promise<Pick<NodeSnapshot, 'processes' | 'containerd'>>;

export interface SettleOptions {
  /** How long a disagreement may last before it is a finding: sandboxes start and stop in well under this. */
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

export const SANDBOX_SETTLE: SettleOptions = { timeoutMs: 15_000, intervalMs: 1_000 };

/**
 * ps and crictl are read one after the other, so a pod sandbox that starts or stops between them
 * shows as a ready sandbox without its /pause, or a /pause without its sandbox (CI saw both while
 * pods came and went: test/fixtures/raw/single-churn*). A node whose read disagrees is read again
 * until it agrees or `timeoutMs` passes; a fault that lasts is then checked on the last read.
 * Replaces those nodes' processes and containerd view in `snapshot`.
 */
export async function settleSandboxReads(
  snapshot: Snapshot,
  reread: NodeReread,
  options: SettleOptions,
): Promise<NonNullable<ClusterEvidence['sandboxReads']>> {
  const unsettled = clusterNodes(snapshot).flatMap((node) => {
    const first = isRunning(node) && node.containerd ? sandboxDisagreements(node).problems[0] : undefined;
    return first ? [{ node, first }] : [];
  });
  const reads = await Promise.all(unsettled.map(async ({ node, first }) => [node.name, { ...(await settleNode(node, reread, options)), first }] as const));
  return Object.fromEntries(reads);
}

async function settleNode(node: NodeSnapshot, reread: NodeReread, options: SettleOptions): Promise<{ count: number; ms: number }> {
  const started = Date.now();
  let count = 1;
  try {
    await waitUntil(
      async () => {
        const fresh = await reread(node);
        count += 1;
        node.processes = fresh.processes;
        if (fresh.containerd) node.containerd = fresh.containerd;
        const { problems } = sandboxDisagreements(node);
        return problems.length === 0 ? doneWith(undefined) : notYet(problems[0]!);
      },
      { what: `pause processes and sandboxes of ${node.name} to agree`, ...options },
    );
  } catch (error) {
    // Out of time: the last read stands, and the check reports what it shows.
    if (!(error instanceof WaitTimeoutError)) throw error;
  }
  return { count, ms: Date.now() - started };
}
