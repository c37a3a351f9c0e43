import type { VerifyReport } from './check-result.js';
import { countChecks } from './summarize-report.js';

export function renderVerifyJson(report: VerifyReport): string {
  return `${JSON.stringify({ ...report, counts: countChecks(report.checks) }, null, 2)}\n`;
}
