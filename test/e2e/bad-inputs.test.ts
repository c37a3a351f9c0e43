import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, it } from 'vitest';
import { BAD_INPUTS, STACK_TRACE, writeRowFiles, type BadInput } from '../support/bad-input-table.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { LAB_CLI } from './support/run-lab.js';

const LABELS = ['io.x-k8s.kind.cluster', 'dev.kindlab.lab'];
const NOBODY = 65534;

/**
 * Every labelled container, network and volume on the daemon, as "kind id label=value" lines. Other
 * people's labs come and go on a shared daemon, so unless the daemon is ours alone (CI) only the
 * names the table's rows could create are compared.
 */
async function labelledResources(): Promise<string[]> {
  const exclusive = process.env.CI === 'true' || process.env.KINDLAB_E2E_EXCLUSIVE_DAEMON === '1';
  const names = new Set(['kindlab', ...BAD_INPUTS.flatMap((row) => row.labs ?? [])]);
  // One listing per kind with both labels as columns (tab-separated: label values may hold spaces).
  const labels = LABELS.map((label) => `{{.Label "${label}"}}`).join('\t');
  const listings = {
    container: ['ps', '-a', '--format', `{{.ID}}\t${labels}`],
    network: ['network', 'ls', '--format', `{{.ID}}\t${labels}`],
    volume: ['volume', 'ls', '--format', `{{.Name}}\t${labels}`],
  };
  const lines: string[] = [];
  await Promise.all(
    Object.entries(listings).map(async ([kind, args]) => {
      const { stdout } = await execa('docker', args);
      for (const line of stdout.split('\n').filter(Boolean)) {
        const [id, ...values] = line.split('\t');
        values.forEach((value, i) => {
          if (value && (exclusive || names.has(value))) lines.push(`${kind} ${id} ${LABELS[i]}=${value}`);
        });
      }
    }),
  );
  return lines.sort();
}

describe.skipIf(dockerSkipReason() !== undefined)('bad inputs on the real daemon: one error line, exit 2 (1 for the environment), nothing created', () => {
  const dirs: string[] = [];
  const outcomes: string[] = [];
  afterAll(() => {
    for (const dir of dirs) {
      chmodSync(join(dir, 'ro'), 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
    // The table with outcomes, for the closing note.
    process.stdout.write(`\n| # | bad input | args | exit | error line |\n|---|---|---|---|---|\n${outcomes.sort().join('\n')}\n`);
  });

  // Rows are independent (each has its own directory and home) and fail in well under a second: four at a time.
  it.concurrent.for(BAD_INPUTS.map((row, i) => [row.what, row, i] as const))('%s', async ([, row, index]: readonly [string, BadInput, number], { expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-bad-input-'));
    dirs.push(dir);
    // uid 65534 must reach dir/ro and the files.
    chmodSync(dir, 0o755);
    writeRowFiles(dir, row);
    const asNobody = row.unprivileged === true && process.getuid?.() === 0;
    if (asNobody) {
      mkdirSync(join(dir, 'home'));
      chownSync(join(dir, 'home'), NOBODY, NOBODY);
    }
    const before = await labelledResources();
    const args = row.args(dir);
    const run = await execa(process.execPath, [LAB_CLI, ...args], {
      reject: false,
      stdin: 'ignore',
      timeout: 120_000,
      env: { KINDLAB_HOME: join(dir, 'home'), HOME: dir, ...row.env?.(dir) },
      ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    const stderr = String(run.stderr);
    const errorLine = stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
    outcomes.push(
      `| ${String(index + 1).padStart(2, '0')} | ${row.what}${asNobody ? ' (as uid 65534)' : ''} | \`lab ${args.join(' ').replaceAll(dir, '$TMP')}\` | ${run.exitCode} | ${errorLine.replaceAll(dir, '$TMP').replaceAll('|', '\\|')} |`,
    );
    expect(errorLine, stderr).toMatch(row.error);
    expect(stderr, stderr).toMatch(/^hint: \S/m);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(run.exitCode, stderr).toBe(row.exitCode);
    expect(await labelledResources()).toEqual(before);
    row.after?.(dir);
  });
});
