import { CHECK_GROUPS, type CheckGroup, type CheckResult, type VerifyReport } from './check-result.js';

export interface ReportCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function countChecks(checks: readonly CheckResult[]): ReportCounts {
  return {
    total: checks.length,
    passed: checks.filter((c) => c.status === 'pass').length,
    failed: checks.filter((c) => c.status === 'fail').length,
    skipped: checks.filter((c) => c.status === 'skip').length,
  };
}

/** Groups in their fixed order, leaving out groups without checks. */
export function groupChecks(report: VerifyReport): Array<[CheckGroup, CheckResult[]]> {
  return CHECK_GROUPS.map((group) => [group, report.checks.filter((c) => c.group === group)] as [CheckGroup, CheckResult[]]).filter(
    ([, checks]) => checks.length > 0,
  );
}
