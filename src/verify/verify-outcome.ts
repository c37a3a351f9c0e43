import type { LabMetadata } from '../cluster/lab-metadata.js';
import type { VerifyReport } from './check-result.js';
import { countChecks, type ReportCounts } from './summarize-report.js';

/**
 * What the last `lab verify` of a kindlab lab found, kept in its home for later readers (the
 * `lab serve` index). Counts and check names only, no evidence: nothing in it is secret.
 * Schema: templates/schemas/verify-outcome.schema.json.
 */
export interface VerifyOutcome {
  schemaVersion: 'kindlab.dev/verify-outcome/v1';
  lab: string;
  /** The lab's `lab up` time: a new lab of the same name does not show its predecessor's outcome. */
  labCreatedAt: string;
  ranAt: string;
  passed: boolean;
  counts: ReportCounts;
  expectation: string;
  failedChecks: string[];
}

export function verifyOutcomeOf(report: VerifyReport, lab: Pick<LabMetadata, 'name' | 'createdAt'>): VerifyOutcome {
  return {
    schemaVersion: 'kindlab.dev/verify-outcome/v1',
    lab: lab.name,
    labCreatedAt: lab.createdAt,
    ranAt: report.startedAt,
    passed: report.passed,
    counts: countChecks(report.checks),
    expectation: report.expectation.source,
    failedChecks: report.checks.filter((c) => c.status === 'fail').map((c) => c.name),
  };
}
