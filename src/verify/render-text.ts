import type { VerifyReport } from './check-result.js';
import { countChecks, groupChecks } from './summarize-report.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

export interface TextOptions {
  /** Evidence is always shown for failures; with this also for passes. */
  allEvidence?: boolean;
}

export function renderVerifyText(report: VerifyReport, options: TextOptions = {}): string {
  const lines: string[] = [];
  const description = report.expectation.description ? ` (${report.expectation.description})` : '';
  lines.push(`lab verify ${report.cluster}: expectation ${report.expectation.source}${description}`);
  for (const [group, checks] of groupChecks(report)) {
    lines.push('', group);
    for (const check of checks) {
      lines.push(`  ${MARK[check.status]}  ${check.name}: ${check.summary}`);
      if (check.status === 'fail' || (options.allEvidence && check.status === 'pass')) {
        for (const item of check.evidence) lines.push(`          ${item}`);
      }
    }
  }
  const counts = countChecks(report.checks);
  lines.push(
    '',
    `${counts.total} checks: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    lines.push(`FAILED: ${failed.map((c) => c.name).join('; ')}`);
  } else {
    lines.push(`OK: ${report.cluster} matches ${report.expectation.source}`);
  }
  return `${lines.join('\n')}\n`;
}
