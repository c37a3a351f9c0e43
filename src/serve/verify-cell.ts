import { createDebugLogger } from '../common/debug-logger.js';
import type { VerifyOutcome } from '../verify/verify-outcome.js';
import type { VerifyOutcomeStore } from '../verify/verify-outcome-store.js';

const debug = createDebugLogger('serve');

/** The index's verify column for one lab: its class, its text, and the whole story on hover. */
export interface VerifyCell {
  status: 'passed' | 'failed' | 'never' | 'unreadable';
  text: string;
  title: string;
}

/** Failed checks named in the cell before "…": the rest are in its title. */
const NAMED_FAILURES = 2;

/** The lab's last outcome as the index shows it; one of a former lab of the same name counts as none. */
export function verifyCell(outcome: VerifyOutcome | undefined, lab: { managed: boolean; createdAt: string }, now: Date): VerifyCell {
  if (!lab.managed) return { status: 'never', text: 'not kept', title: 'not created by lab up: lab verify keeps no outcome for it' };
  if (!outcome || outcome.labCreatedAt !== lab.createdAt) return { status: 'never', text: 'never run', title: 'lab verify has not run on this lab' };
  const { counts } = outcome;
  const when = whenText(new Date(outcome.ranAt), now);
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  const title = `lab verify at ${outcome.ranAt} against ${outcome.expectation}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  if (outcome.passed) return { status: 'passed', text: `passed ${counts.passed}/${counts.total}${skipped} · ${when}`, title };
  const named = outcome.failedChecks.slice(0, NAMED_FAILURES).join(', ');
  const more = outcome.failedChecks.length > NAMED_FAILURES ? ', …' : '';
  return {
    status: 'failed',
    text: `failed ${counts.failed} of ${counts.total}: ${named}${more} · ${when}`,
    title: `${title}\nfailed: ${outcome.failedChecks.join('; ')}`,
  };
}

/** Reads the lab's outcome for the index; a broken file is shown as such (and logged), never an error of the page. */
export function readVerifyCell(store: VerifyOutcomeStore, lab: { name: string; managed: boolean; createdAt: string }, now: Date): VerifyCell {
  try {
    return verifyCell(lab.managed ? store.load(lab.name) : undefined, lab, now);
  } catch (error) {
    debug(`verify outcome of ${lab.name} unreadable:`, (error as Error).message);
    return { status: 'unreadable', text: 'outcome unreadable', title: (error as Error).message };
  }
}

/** Minutes ago within the hour, the time of day within the day, else the date and time (server's local time). */
function whenText(at: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.toDateString() === now.toDateString()) return time;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}
