import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { BAD_INPUTS, STACK_TRACE, writeRowFiles, type BadInput } from '../../support/bad-input-table.js';
import { warmSchemas } from '../support/warm-schemas.js';

/** No daemon answers here: a row that got past validation fails with the Docker error instead of its own. */
const NO_DOCKER = 'unix:///nonexistent-unit-test.sock';

/** `lab <args>` in this process with `env` set (unset for ''), capturing stderr. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<{ exitCode: number; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  for (const [key, value] of Object.entries(env)) {
    if (value === '') delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return { exitCode: await runCli(args), stderr };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    vi.restoreAllMocks();
  }
}

// The Docker rows load the Docker seam and the Kubernetes client (seconds on a busy machine): loaded once
// here, with its own deadline, so no row's time includes it.
beforeAll(async () => {
  await Promise.all([
    import('../../../src/cli/connect-docker.js'),
    import('../../../src/verify/default-verify-dependencies.js'),
    import('../../../src/labs/prepare-tour.js'),
  ]);
}, 120_000);

warmSchemas('lab', 'expectation', 'tour-lab', 'snapshot-v1');

describe('bad inputs end in one error line naming the field, a hint and exit 2 (1 for the environment)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) {
      chmodSync(join(dir, 'ro'), 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has at least 40 rows', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  // Root may write anywhere: the read-only rows run here only as another user (and always in e2e).
  const rows = BAD_INPUTS.filter((row) => !row.unprivileged || process.getuid?.() !== 0);
  it.each(rows.map((row) => [row.what, row] as const))('%s', async (_what, row: BadInput) => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-bad-input-'));
    dirs.push(dir);
    writeRowFiles(dir, row);
    const { exitCode, stderr } = await runInProcess(row.args(dir), {
      KINDLAB_HOME: join(dir, 'home'),
      DOCKER_HOST: NO_DOCKER,
      KINDLAB_DEBUG: '',
      ...row.env?.(dir),
    });
    const errorLine = stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
    expect(errorLine, stderr).toMatch(row.error);
    expect(stderr, stderr).toMatch(/^hint: \S/m);
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(exitCode, stderr).toBe(row.exitCode);
    row.after?.(dir);
  });
});

describe('--debug', () => {
  it('adds the stack trace of a failure, and only then', async () => {
    const { exitCode, stderr } = await runInProcess(['--debug', 'inspect'], { DOCKER_HOST: NO_DOCKER, KINDLAB_DEBUG: '' });
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^error: failed to reach the Docker daemon/m);
    expect(stderr).toMatch(STACK_TRACE);
  });
});
