/** The built `lab` CLI run from a bench as a user runs it, timed; a failure stops the bench with its output. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/common/paths.js';

/** The bundle that ships as `lab` (scripts/bundle-cli.mjs). */
export const LAB_CLI = join(projectRoot(), 'dist', 'bin', 'main.js');

export interface TimedRun {
  seconds: number;
  stdout: string;
}

export function runLabTimed(args: readonly string[]): TimedRun {
  const start = performance.now();
  const run = spawnSync(process.execPath, [LAB_CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) {
    process.stderr.write(`lab ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}\n${run.stdout.slice(-2000)}\n`);
    process.exit(1);
  }
  return { seconds, stdout: run.stdout };
}

/** One median for every bench. */
export { median } from './bench-stats.js';
