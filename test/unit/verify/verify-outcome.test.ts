import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataFromLabels } from '../../../src/cluster/lab-metadata.js';
import { schemaErrors } from '../../../src/common/validate-with-schema.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { recordVerifyOutcome } from '../../../src/verify/record-verify-outcome.js';
import { runChecks } from '../../../src/verify/run-checks.js';
import { VerifyOutcomeStore } from '../../../src/verify/verify-outcome-store.js';
import { projectRoot } from '../../../src/common/paths.js';
import { fileProblemsOf, usageErrorOf } from '../support/usage-error-of.js';
import { useScratchDirs } from '../support/scratch-dirs.js';
import { warmSchemas } from '../support/warm-schemas.js';
import { recordedEvidence } from './fixtures.js';

warmSchemas('verify-outcome', 'expectation');

/** The record volume of a real lab (test/fixtures/lab-record), renamed to the lab the evidence was recorded on. */
function labRecordOf(lab: string) {
  const labels = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'lab-record', 'ha-external.json'), 'utf8')) as Record<string, string>;
  return metadataFromLabels({ ...labels, 'dev.kindlab.lab': lab })!;
}

/** The report `lab verify` makes of recorded evidence: the checks of a real cluster, healthy or with a fault. */
async function reportOf(evidence: string): Promise<VerifyReport> {
  const recorded = recordedEvidence(evidence);
  const checks = runChecks(recorded, await loadExpectation('multi'));
  return {
    schemaVersion: 'kindlab.dev/verify/v1',
    cluster: recorded.snapshot.cluster,
    expectation: { source: 'built-in expectation multi' },
    startedAt: '2026-11-26T13:02:10.000Z',
    durationMs: 4000,
    checks,
    passed: checks.every((c) => c.status !== 'fail'),
  };
}

describe('the outcome lab verify keeps for the lab serve index', () => {
  const scratch = useScratchDirs('kindlab-verify-outcome-');

  it('keeps a pass: when, counts, expectation, no failed checks; 0600 in a 0700 directory, matching its schema', async () => {
    const store = VerifyOutcomeStore.inHome(scratch());
    const report = await reportOf('multi-healthy');
    await recordVerifyOutcome(store, report, async () => labRecordOf('verify-multi'));
    const outcome = store.load('verify-multi')!;
    expect(outcome).toEqual({
      schemaVersion: 'kindlab.dev/verify-outcome/v1',
      lab: 'verify-multi',
      labCreatedAt: '2026-11-30T08:46:26.446Z',
      ranAt: '2026-11-26T13:02:10.000Z',
      passed: true,
      counts: {
        total: report.checks.length,
        passed: report.checks.filter((c) => c.status === 'pass').length,
        failed: 0,
        skipped: report.checks.filter((c) => c.status === 'skip').length,
      },
      expectation: 'built-in expectation multi',
      failedChecks: [],
    });
    expect(outcome.counts.passed).toBeGreaterThan(10);
    expect(statSync(store.file('verify-multi')).mode & 0o777).toBe(0o600);
    expect(statSync(join(store.file('verify-multi'), '..')).mode & 0o777).toBe(0o700);
    expect(schemaErrors(JSON.parse(readFileSync(store.file('verify-multi'), 'utf8')), 'verify-outcome')).toEqual([]);
  });

  it('keeps a failure with the names of the failed checks, replacing the earlier outcome', async () => {
    const store = VerifyOutcomeStore.inHome(scratch());
    await recordVerifyOutcome(store, await reportOf('multi-healthy'), async () => labRecordOf('verify-multi'));
    const report = await reportOf('multi-scheduler-stopped');
    await recordVerifyOutcome(store, report, async () => labRecordOf('verify-multi'));
    const outcome = store.load('verify-multi')!;
    expect(outcome.passed).toBe(false);
    expect(outcome.failedChecks).toContain('kube-scheduler on verify-multi-control-plane');
    expect(outcome.failedChecks).toEqual(report.checks.filter((c) => c.status === 'fail').map((c) => c.name));
    expect(outcome.counts.failed).toBe(outcome.failedChecks.length);
    expect(outcome.counts.passed + outcome.counts.failed + outcome.counts.skipped).toBe(outcome.counts.total);
  });

  it('keeps nothing for a cluster without a lab record (plain kind), and never throws when it cannot write', async () => {
    const home = scratch();
    const store = VerifyOutcomeStore.inHome(home);
    await recordVerifyOutcome(store, await reportOf('multi-healthy'), async () => undefined);
    expect(store.load('verify-multi')).toBeUndefined();
    // verify/ is a file: the directory cannot be made. The verify's answer does not depend on it.
    writeFileSync(join(home, 'verify'), 'in the way');
    await expect(recordVerifyOutcome(store, await reportOf('multi-healthy'), async () => labRecordOf('verify-multi'))).resolves.toBeUndefined();
    await expect(recordVerifyOutcome(store, await reportOf('multi-healthy'), async () => Promise.reject(new Error('docker down')))).resolves.toBeUndefined();
  });

  it('lab down removes the outcome of the lab it deletes only: not one kept for an earlier lab of the same name', async () => {
    const store = VerifyOutcomeStore.inHome(scratch());
    const lab = labRecordOf('verify-multi');
    await recordVerifyOutcome(store, await reportOf('multi-healthy'), async () => lab);
    store.removeOutcomeOf({ name: lab.name, createdAt: '2026-11-29T10:00:00.000Z' });
    expect(store.load(lab.name)?.labCreatedAt).toBe(lab.createdAt);
    store.removeOutcomeOf(lab);
    expect(store.load(lab.name)).toBeUndefined();
    // Nothing kept, or a file it cannot read: nothing to remove and no error.
    expect(() => store.removeOutcomeOf(lab)).not.toThrow();
    writeFileSync(store.file(lab.name), '{"schemaVersion": "kindlab.dev/verify-out');
    store.removeOutcomeOf(lab);
    expect(readFileSync(store.file(lab.name), 'utf8')).toContain('verify-out');
  });

  it('refuses a file that breaks its schema, naming every problem, and one that is not JSON', () => {
    const home = scratch();
    const store = VerifyOutcomeStore.inHome(home);
    mkdirSync(join(home, 'verify'));
    writeFileSync(
      store.file('broken'),
      JSON.stringify({
        schemaVersion: 'kindlab.dev/verify-outcome/v1',
        lab: 'broken',
        labCreatedAt: '',
        ranAt: 'yesterday',
        passed: 'no',
        counts: { total: 3, passed: 1, failed: -1 },
        expectation: 'multi',
        failedChecks: [''],
        evidence: ['token=abc'],
      }),
    );
    expect(fileProblemsOf(() => store.load('broken'))).toEqual([
      '/evidence is not a known field (known: schemaVersion, lab, labCreatedAt, ranAt, passed, counts, expectation, failedChecks)',
      '/ranAt must be an ISO 8601 UTC time such as 2026-11-30T21:05:00.000Z (got "yesterday")',
      '/passed must be true or false (got "no")',
      '/counts/skipped is required',
      '/counts/failed must be >= 0 (got -1)',
      '/failedChecks/0 must be at least 1 character(s) long (got "")',
    ]);
    writeFileSync(store.file('cut'), '{"schemaVersion": "kindlab.dev/verify-out');
    expect(usageErrorOf(() => store.load('cut')).message).toMatch(/cut\.json: not valid JSON: /);
  });
});
