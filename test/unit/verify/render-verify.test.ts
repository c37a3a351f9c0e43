import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import { renderVerifyJson } from '../../../src/verify/render-json.js';
import { renderVerifyJunit } from '../../../src/verify/render-junit.js';
import { renderVerifyText } from '../../../src/verify/render-text.js';

const hostile = 'pod <script>alert("x")</script> & \'quotes\'\u0007bell';

function report(): VerifyReport {
  return {
    schemaVersion: 'kindlab.dev/verify/v1',
    cluster: 'verify-multi',
    expectation: { source: 'built-in expectation multi', description: '1 control plane + workers' },
    startedAt: '2026-11-26T12:00:00.000Z',
    durationMs: 12_345,
    passed: false,
    checks: [
      { group: 'nodes', name: 'number of workers', status: 'pass', summary: '2 workers, expected at least 1', evidence: ['containers: a, b'] },
      {
        group: 'control-plane',
        name: 'kube-scheduler on verify-multi-control-plane',
        status: 'fail',
        summary: 'kube-scheduler is not running on verify-multi-control-plane',
        evidence: ['no kube-scheduler process', hostile],
        node: 'verify-multi-control-plane',
        component: 'kube-scheduler',
      },
      { group: 'communication', name: 'probe pods', status: 'skip', summary: 'probes: false in the expectation', evidence: [] },
    ],
  };
}

describe('renderVerifyText', () => {
  it('shows each check with its status, the evidence of failures and a summary line', () => {
    const text = renderVerifyText(report());
    expect(text).toContain('  PASS  number of workers: 2 workers, expected at least 1');
    expect(text).toContain('  FAIL  kube-scheduler on verify-multi-control-plane: kube-scheduler is not running on verify-multi-control-plane');
    expect(text).toContain('          no kube-scheduler process');
    expect(text).not.toContain('containers: a, b');
    expect(text).toContain('3 checks: 1 passed, 1 failed, 1 skipped (12.3 s)');
    expect(text).toContain('FAILED: kube-scheduler on verify-multi-control-plane');
    expect(renderVerifyText(report(), { allEvidence: true })).toContain('containers: a, b');
  });
});

describe('renderVerifyJunit', () => {
  it('has a suite per group and a case per check, with the broken part in the failure message', () => {
    const xml = renderVerifyJunit(report());
    expect(xml).toContain('<testsuites name="lab verify verify-multi" tests="3" failures="1" errors="0" skipped="1" time="12.345">');
    expect(xml).toContain('<testsuite name="control-plane" tests="1" failures="1"');
    expect(xml).toContain('<failure message="kube-scheduler is not running on verify-multi-control-plane" type="kube-scheduler@verify-multi-control-plane">');
    expect(xml).toContain('<skipped message="probes: false in the expectation"/>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('pod &lt;script&gt;alert("x")&lt;/script&gt; &amp; \'quotes\'\uFFFDbell');
  });

  it('is well-formed XML that a real parser reads back, hostile text intact', async () => {
    const runner = new ChildProcessCommandRunner();
    const parse = [
      'import sys, json, xml.etree.ElementTree as E',
      'root = E.fromstring(sys.stdin.read())',
      'print(json.dumps([[s.get("name"), [[c.get("name"), [(x.tag, x.get("message"), x.text) for x in c]] for c in s.findall("testcase")]] for s in root]))',
    ].join('\n');
    const result = await runner.run('python3', ['-c', parse], { input: renderVerifyJunit(report()) });
    const suites = JSON.parse(result.stdout) as Array<[string, Array<[string, Array<[string, string | null, string | null]>]>]>;
    expect(suites.map(([name]) => name)).toEqual(['nodes', 'control-plane', 'communication']);
    const failure = suites[1]![1][0]![1][0]!;
    expect(failure[0]).toBe('failure');
    expect(failure[2]).toContain('pod <script>alert("x")</script> & \'quotes\'');
  });
});

describe('renderVerifyJson', () => {
  it('keeps every check and adds counts', () => {
    const doc = JSON.parse(renderVerifyJson(report())) as VerifyReport & { counts: Record<string, number> };
    expect(doc.counts).toEqual({ total: 3, passed: 1, failed: 1, skipped: 1 });
    expect(doc.checks[1]!.evidence[1]).toBe(hostile);
  });
});

describe('JUnit of a recorded failure', () => {
  it('names the scheduler and the node in the failure message of its testcase', async () => {
    const { recordedEvidence } = await import('./fixtures.js');
    const { runChecks } = await import('../../../src/verify/run-checks.js');
    const { loadExpectation } = await import('../../../src/verify/load-expectation.js');
    const checks = runChecks(recordedEvidence('multi-scheduler-stopped'), await loadExpectation('multi'));
    const xml = renderVerifyJunit({ ...report(), checks, passed: false });
    expect(xml).toMatch(
      /<testcase classname="kindlab\.verify\.control-plane" name="kube-scheduler on verify-multi-control-plane" time="0">\n {6}<failure message="kube-scheduler is not running on verify-multi-control-plane" type="kube-scheduler@verify-multi-control-plane">/,
    );
    expect(xml).toMatch(/<testsuite name="control-plane" tests="4" failures="1"/);
  });
});
