import { execa, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const LAB_CLI = join(PROJECT_ROOT, 'dist', 'bin', 'main.js');

export interface LabRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function assertBuilt(): void {
  if (!existsSync(LAB_CLI)) throw new Error(`${LAB_CLI} is missing: run \`npm run build\` before the e2e tests`);
}

/** Runs the built CLI exactly as a user would (`node dist/bin/main.js ...`, the bundle that ships), never throwing on exit codes. An env value undefined removes that variable. */
export async function runLab(args: readonly string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<LabRun> {
  assertBuilt();
  const result = await execa(process.execPath, [LAB_CLI, ...args], {
    reject: false,
    env: options.env,
    timeout: options.timeoutMs ?? 20 * 60_000,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Starts the CLI without waiting, for tests that signal it mid-run (with `env` added to the environment). */
export function spawnLab(args: readonly string[], env?: Record<string, string>): ResultPromise<{ reject: false; stdin: 'ignore'; buffer: true }> {
  assertBuilt();
  return execa(process.execPath, [LAB_CLI, ...args], { reject: false, stdin: 'ignore', buffer: true, ...(env ? { env } : {}) });
}

/** `lab ... --json` output: one JSON value per line. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Starts the CLI on a pseudo-terminal (test/e2e/support/run-in-pty.py): its interactive paths run, keys are written to stdin; stdout and stderr arrive together. */
export function spawnLabInTerminal(args: readonly string[]): ResultPromise<{ reject: false; stdin: 'pipe'; buffer: true }> {
  assertBuilt();
  const pty = join(PROJECT_ROOT, 'test', 'e2e', 'support', 'run-in-pty.py');
  return execa('python3', [pty, process.execPath, LAB_CLI, ...args], { reject: false, stdin: 'pipe', buffer: true });
}
