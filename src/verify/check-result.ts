/** Check groups become JUnit test suites, in this order. */
export const CHECK_GROUPS = ['nodes', 'versions', 'control-plane', 'workers', 'sandboxes', 'load-balancer', 'etcd', 'communication'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  group: CheckGroup;
  /** Unique within the report, e.g. "kube-scheduler on verify-ha-control-plane2". */
  name: string;
  status: CheckStatus;
  /** One line: what passed, or which part is broken and where. */
  summary: string;
  /** What the check saw, so a failure can be understood without re-running it. */
  evidence: string[];
  node?: string;
  component?: string;
}

export interface VerifyReport {
  schemaVersion: 'kindlab.dev/verify/v1';
  cluster: string;
  expectation: { source: string; description?: string };
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  passed: boolean;
}

export function pass(group: CheckGroup, name: string, summary: string, evidence: string[], extra: Partial<CheckResult> = {}): CheckResult {
  return { group, name, status: 'pass', summary, evidence, ...extra };
}

export function fail(group: CheckGroup, name: string, summary: string, evidence: string[], extra: Partial<CheckResult> = {}): CheckResult {
  return { group, name, status: 'fail', summary, evidence, ...extra };
}

export function skip(group: CheckGroup, name: string, summary: string, extra: Partial<CheckResult> = {}): CheckResult {
  return { group, name, status: 'skip', summary, evidence: [], ...extra };
}

export function checkOf(
  condition: boolean,
  group: CheckGroup,
  name: string,
  ok: string,
  broken: string,
  evidence: string[],
  extra: Partial<CheckResult> = {},
): CheckResult {
  return condition ? pass(group, name, ok, evidence, extra) : fail(group, name, broken, evidence, extra);
}
