import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDEX_REFRESH_SECONDS, renderIndexPage, type IndexRow } from '../../../src/serve/render-serve-pages.js';
import { readVerifyCell, verifyCell } from '../../../src/serve/verify-cell.js';
import type { VerifyOutcome } from '../../../src/verify/verify-outcome.js';
import { VerifyOutcomeStore } from '../../../src/verify/verify-outcome-store.js';
import { useScratchDirs } from '../support/scratch-dirs.js';
import { warmSchemas } from '../support/warm-schemas.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const LAB = { name: 'room-1', managed: true, createdAt: '2026-11-30T08:00:00.000Z' };
// Local times: the index shows the time of day where `lab serve` runs.
const NOW = new Date(2026, 10, 30, 11, 0, 0);

function outcome(ranAt: Date, fields: Partial<VerifyOutcome> = {}): VerifyOutcome {
  return {
    schemaVersion: 'kindlab.dev/verify-outcome/v1',
    lab: LAB.name,
    labCreatedAt: LAB.createdAt,
    ranAt: ranAt.toISOString(),
    passed: true,
    counts: { total: 18, passed: 18, failed: 0, skipped: 0 },
    expectation: 'built-in expectation single',
    failedChecks: [],
    ...fields,
  };
}

const failedAt = (ranAt: Date, failedChecks: string[]) =>
  outcome(ranAt, { passed: false, counts: { total: 18, passed: 18 - failedChecks.length, failed: failedChecks.length, skipped: 0 }, failedChecks });

function row(verify: IndexRow['verify']): IndexRow {
  return { name: LAB.name, shape: 'single: 1 control plane(s), 0 worker(s)', state: 'running', nodes: '1/1 Ready', verify };
}

describe('the verify column of the lab serve index', () => {
  const scratch = useScratchDirs('kindlab-verify-cell-');
  warmSchemas('verify-outcome');

  it('shows a pass with its counts and how long ago, minutes within the hour', () => {
    expect(verifyCell(outcome(new Date(2026, 10, 30, 10, 57)), LAB, NOW)).toMatchObject({ status: 'passed', text: 'passed 18/18 · 3 min ago' });
    expect(verifyCell(outcome(new Date(2026, 10, 30, 10, 59, 30)), LAB, NOW).text).toBe('passed 18/18 · just now');
    const skipped = outcome(new Date(2026, 10, 30, 10, 50), { counts: { total: 18, passed: 16, failed: 0, skipped: 2 } });
    expect(verifyCell(skipped, LAB, NOW).text).toBe('passed 16/18, 2 skipped · 10 min ago');
  });

  it('shows a failure with the first failed checks and the time of day, every name in its title', () => {
    const cell = verifyCell(failedAt(new Date(2026, 10, 30, 9, 42), ['etcd members', 'kube-scheduler on room-1-control-plane', 'pod DNS']), LAB, NOW);
    expect(cell.status).toBe('failed');
    expect(cell.text).toBe('failed 3 of 18: etcd members, kube-scheduler on room-1-control-plane, … · 09:42');
    expect(cell.title).toContain('against built-in expectation single: 15 passed, 3 failed, 0 skipped');
    expect(cell.title).toContain('failed: etcd members; kube-scheduler on room-1-control-plane; pod DNS');
    expect(verifyCell(failedAt(new Date(2026, 10, 28, 17, 5), ['etcd members']), LAB, NOW).text).toBe('failed 1 of 18: etcd members · 2026-11-28 17:05');
  });

  it('shows never run without an outcome, or with one of a former lab of the same name; plain kind clusters keep none', () => {
    expect(verifyCell(undefined, LAB, NOW)).toMatchObject({ status: 'never', text: 'never run' });
    const former = outcome(new Date(2026, 10, 30, 10, 57), { labCreatedAt: '2026-11-29T08:00:00.000Z' });
    expect(verifyCell(former, LAB, NOW)).toMatchObject({ status: 'never', text: 'never run' });
    expect(verifyCell(undefined, { ...LAB, managed: false }, NOW)).toMatchObject({ status: 'never', text: 'not kept' });
  });

  it('reads the kept outcome, and shows a file that breaks its schema as unreadable instead of failing the index', () => {
    const store = VerifyOutcomeStore.inHome(scratch());
    expect(readVerifyCell(store, LAB, NOW).text).toBe('never run');
    store.save(outcome(new Date(2026, 10, 30, 10, 57)));
    expect(readVerifyCell(store, LAB, NOW).text).toBe('passed 18/18 · 3 min ago');
    writeFileSync(store.file(LAB.name), JSON.stringify({ ...outcome(NOW), passed: 'yes' }));
    const broken = readVerifyCell(store, LAB, NOW);
    expect(broken).toMatchObject({ status: 'unreadable', text: 'outcome unreadable' });
    expect(broken.title).toContain('/passed must be true or false (got "yes")');
  });

  it('renders each case in the index row, escaped', () => {
    const passed = outcome(new Date(2026, 10, 30, 10, 57));
    const cases = [
      verifyCell(passed, LAB, NOW),
      verifyCell(failedAt(new Date(2026, 10, 30, 9, 42), [HOSTILE, 'etcd members "quoted"']), LAB, NOW),
      verifyCell(undefined, LAB, NOW),
    ];
    const html = renderIndexPage(cases.map(row));
    expect(html).toContain('<th>Verify</th>');
    expect(html).toContain(
      `<td class="verify verify-passed" title="lab verify at ${passed.ranAt} against built-in expectation single: 18 passed, 0 failed, 0 skipped">passed 18/18 · 3 min ago</td>`,
    );
    expect(html).toContain('<td class="verify verify-failed" title="lab verify at ');
    expect(html).toContain('>failed 2 of 18: &lt;img src=x onerror=alert(1)&gt;, etcd members &quot;quoted&quot; · 09:42</td>');
    expect(html).toContain('failed: &lt;img src=x onerror=alert(1)&gt;; etcd members &quot;quoted&quot;">');
    expect(html).toContain('<td class="verify verify-never" title="lab verify has not run on this lab">never run</td>');
    expect(html).not.toContain(HOSTILE);
    // The wall's view reloads itself, so a verify run by a participant shows without anyone touching the page.
    expect(html).toContain(`<meta http-equiv="refresh" content="${INDEX_REFRESH_SECONDS}">`);
  });
});
