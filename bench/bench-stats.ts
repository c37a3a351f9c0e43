import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Seconds one `node <cli> args` run took; a run that exits non-zero stops the bench with its stderr. */
export function timeCliRun(cli: string, args: readonly string[], env?: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${cli} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return seconds;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds precision for JSON output. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
