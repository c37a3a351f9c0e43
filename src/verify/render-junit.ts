import type { CheckResult, VerifyReport } from './check-result.js';
import { countChecks, groupChecks } from './summarize-report.js';

/**
 * JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it: one <testsuite> per
 * check group, one <testcase> per check, the broken part in the failure message, evidence in the body.
 */
export function renderVerifyJunit(report: VerifyReport): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const all = countChecks(report.checks);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${attr(`lab verify ${report.cluster}`)}" tests="${all.total}" failures="${all.failed}" errors="0" skipped="${all.skipped}" time="${seconds}">`,
  );
  for (const [group, checks] of groupChecks(report)) {
    const counts = countChecks(checks);
    out.push(
      `  <testsuite name="${attr(group)}" tests="${counts.total}" failures="${counts.failed}" errors="0" skipped="${counts.skipped}" timestamp="${attr(report.startedAt.replace(/Z$/, ''))}" hostname="${attr(report.cluster)}">`,
    );
    out.push('    <properties>');
    out.push(`      <property name="cluster" value="${attr(report.cluster)}"/>`);
    out.push(`      <property name="expectation" value="${attr(report.expectation.source)}"/>`);
    out.push('    </properties>');
    for (const check of checks) out.push(...testcase(group, check));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(group: string, check: CheckResult): string[] {
  const open = `    <testcase classname="${attr(`kindlab.verify.${group}`)}" name="${attr(check.name)}" time="0">`;
  const evidence = text(check.evidence.join('\n'));
  if (check.status === 'fail') {
    return [open, `      <failure message="${attr(check.summary)}" type="${attr(failureType(check))}">${evidence}</failure>`, '    </testcase>'];
  }
  if (check.status === 'skip') return [open, `      <skipped message="${attr(check.summary)}"/>`, '    </testcase>'];
  return [open, `      <system-out>${text([check.summary, ...check.evidence].join('\n'))}</system-out>`, '    </testcase>'];
}

function failureType(check: CheckResult): string {
  return [check.component, check.node].filter(Boolean).join('@') || 'check';
}

/** Characters XML 1.0 cannot carry at all (control characters from a log) are replaced, not escaped. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

export function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;').replace(/\r/g, '&#13;');
}
