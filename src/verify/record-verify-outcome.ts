import type { LabMetadata } from '../cluster/lab-metadata.js';
import { createDebugLogger } from '../common/debug-logger.js';
import type { VerifyReport } from './check-result.js';
import { verifyOutcomeOf } from './verify-outcome.js';
import type { VerifyOutcomeStore } from './verify-outcome-store.js';

const debug = createDebugLogger('verify');

/**
 * Keeps the outcome of a verify of a kindlab lab (one with `lab up`'s record) for the `lab serve`
 * index. A cluster kindlab did not create gets nothing written. Never throws: the verify's answer
 * and exit code do not depend on whether its outcome could be kept.
 */
export async function recordVerifyOutcome(store: VerifyOutcomeStore, report: VerifyReport, labRecord: () => Promise<LabMetadata | undefined>): Promise<void> {
  try {
    const lab = await labRecord();
    if (!lab) {
      debug(`${report.cluster} has no lab record (not created by lab up): its verify outcome is not kept`);
      return;
    }
    store.save(verifyOutcomeOf(report, lab));
    debug(`verify outcome kept in ${store.file(lab.name)}`);
  } catch (error) {
    debug(`verify outcome of ${report.cluster} not kept:`, (error as Error).message);
  }
}
