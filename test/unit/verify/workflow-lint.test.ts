import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { kindlabBinDir, projectRoot } from '../../../src/common/paths.js';

/*
 * The workflow is checked by the real actionlint (rhysd/actionlint), installed with `go install`
 * into kindlab's bin directory like kind is. Without Go the test skips locally, never in CI.
 */
const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const runner = new ChildProcessCommandRunner();
const workflowPath = join(projectRoot(), '.github', 'workflows', 'clusters.yml');
const actionlint = join(kindlabBinDir(), 'actionlint');

async function hasGo(): Promise<boolean> {
  try {
    return (await runner.run('go', ['version'], { allowFailure: true })).exitCode === 0;
  } catch {
    return false;
  }
}

const goAvailable = existsSync(actionlint) || (await hasGo());
if (!goAvailable && process.env.CI === 'true') throw new Error('CI=true but neither actionlint nor go is available to lint the workflow');

interface LintError {
  message: string;
  line: number;
  kind: string;
}

async function lint(text: string): Promise<LintError[]> {
  const result = await runner.run(actionlint, ['-no-color', '-shellcheck=', '-pyflakes=', '-format', '{{json .}}', '-'], {
    input: text,
    allowFailure: true,
  });
  if (result.exitCode > 1) throw new Error(`actionlint failed: ${result.stderr}`);
  return JSON.parse(result.stdout || '[]') as LintError[];
}

describe.skipIf(!goAvailable)('.github/workflows/clusters.yml', () => {
  beforeAll(async () => {
    if (!existsSync(actionlint)) {
      await runner.run('go', ['install', ACTIONLINT_MODULE], {
        env: { GOBIN: kindlabBinDir(), CGO_ENABLED: '0' },
        timeoutMs: 10 * 60_000,
      });
    }
  }, 10 * 60_000);

  it('passes actionlint', async () => {
    expect(await lint(await readFile(workflowPath, 'utf8'))).toEqual([]);
  });

  it('is linted for real: a broken copy is rejected', async () => {
    const broken = (await readFile(workflowPath, 'utf8')).replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-24.04\n    timeout-minutes: soon');
    const errors = await lint(broken.replace('${{ matrix.expect }}', '${{ matrix.expectation }}'));
    expect(errors.map((e) => e.kind)).toEqual(expect.arrayContaining(['expression', 'syntax-check']));
    expect(errors.some((e) => e.message.includes('expectation'))).toBe(true);
  });

  it('covers every topology, uploads the evidence and always tears down', async () => {
    const doc = load(await readFile(workflowPath, 'utf8')) as {
      jobs: Record<string, { strategy?: { matrix: { include: Array<Record<string, string>> } }; steps: Array<Record<string, unknown>> }>;
    };
    const job = doc.jobs.topology!;
    expect(job.strategy!.matrix.include.map((m) => m.expect)).toEqual(['single', 'multi', 'ha', 'external', 'ha-external.yaml']);
    const run = (name: string) => job.steps.find((s) => s.name === name)!;
    // ha with external etcd has no built-in expectation: the job writes the file it verifies against.
    expect(run('Write the ha-external expectation')).toMatchObject({ if: "matrix.name == 'ha-external'", run: expect.stringContaining('> ha-external.yaml') });
    expect(String(run('Write the ha-external expectation').run)).toContain('controlPlanes: 3\\nworkers: 1\\netcd: external');
    expect(run('Verify the topology').run).toMatch(/lab verify "\$LAB" --expect \$\{\{ matrix.expect \}\} --format junit --out junit.xml/);
    expect(run('Report')).toMatchObject({ if: 'always()', run: expect.stringMatching(/lab report .* --format html --out report.html/) });
    expect(run('Upload evidence')).toMatchObject({ if: 'always()', with: { path: expect.stringContaining('junit.xml') } });
    const last = job.steps.at(-1)!;
    expect(last).toMatchObject({ name: 'Tear down', if: 'always()', run: 'lab down --all' });
  });
});
