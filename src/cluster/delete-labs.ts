import { KindlabError } from '../common/kindlab-error.js';
import { deleteLab, type DeleteLabDeps, type DeleteLabResult } from './delete-lab.js';
import { acquireLabLock } from './lab-lock.js';

export type DeleteOutcome =
  | ({ outcome: 'removed' | 'absent' } & DeleteLabResult)
  | { name: string; outcome: 'busy' | 'failed'; error: string; hint: string | undefined; exitCode: number };

/**
 * `lab down --all`: every lab in turn, each under its lock. A busy lab (another process holds its
 * lock) or one whose removal fails is reported and skipped; the others are still removed.
 */
export async function deleteLabs(deps: DeleteLabDeps, names: readonly string[], lockDir?: string): Promise<DeleteOutcome[]> {
  const outcomes: DeleteOutcome[] = [];
  for (const name of names) {
    try {
      const lock = acquireLabLock(name, lockDir);
      try {
        const result = await deleteLab(deps, name);
        outcomes.push({ outcome: result.found ? 'removed' : 'absent', ...result });
      } finally {
        lock.release();
      }
    } catch (error) {
      const busy = error instanceof KindlabError && / is busy/.test(error.message);
      outcomes.push({
        name,
        outcome: busy ? 'busy' : 'failed',
        error: (error as Error).message,
        hint: error instanceof KindlabError ? error.hint : undefined,
        exitCode: error instanceof KindlabError ? error.exitCode : 1,
      });
    }
  }
  return outcomes;
}
