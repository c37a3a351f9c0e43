import { rmSync } from 'node:fs';
import { deleteLabs, type DeleteOutcome } from './delete-labs.js';
import type { LabDeps } from './lab-deps.js';
import { participantKubeconfigPath } from './participant-kubeconfig.js';
import { listPoolLabs } from './pool-labs.js';

/**
 * `lab pool drain`: removes every lab of the pool (found by the dev.kindlab.pool label, claimed or
 * not) the way `lab down` does, each under its lock, and the kubeconfig files `lab claim` wrote for
 * their participants. A suspended lab goes too: `docker rm --force` kills frozen containers.
 */
export async function drainPool(deps: LabDeps, pool: string): Promise<DeleteOutcome[]> {
  const labs = await listPoolLabs(deps.docker, pool);
  let kind;
  try {
    kind = await deps.kind();
  } catch {
    // Without kind the containers still go by label; only the kubeconfig contexts stay behind.
  }
  const outcomes = await deleteLabs(
    { docker: deps.docker, kind },
    labs.map((lab) => lab.name),
  );
  for (const lab of labs) {
    const removed = outcomes.some((o) => o.name === lab.name && (o.outcome === 'removed' || o.outcome === 'absent'));
    if (removed && lab.participant) rmSync(participantKubeconfigPath(lab.participant), { force: true });
  }
  return outcomes;
}
