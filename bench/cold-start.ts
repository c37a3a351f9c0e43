/**
 * Cold start of `lab --help` and `lab version` against `node -e 0` (issue 10: at most 1.5x, median of
 * paired runs). Runs are paired A B A B so a busy machine slows both sides of a pair alike; prints
 * per command the median ratio, its spread (min, quartiles, max) and the medians in ms. Never asserted
 * in tests (timings are not).
 *
 *   npm run build && npm run bench:startup -- [pairs]
 *
 * `lab version` asks kind once per kind binary (the answer is recorded with the binary's identity)
 * and never Docker; `lab version --docker` adds `docker version` and `docker image inspect`, shown
 * apart so the cost of the daemon's answer is visible.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { LAB_CLI } from './lab-cli.js';

const pairs = Number(process.argv[2] ?? 15);
const lab = LAB_CLI;

const CASES: Record<string, string[]> = {
  'lab --help': [lab, '--help'],
  'lab version': [lab, 'version'],
  'lab version --docker (two docker CLI runs)': [lab, 'version', '--docker'],
};

function timeRun(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KINDLAB_DEBUG: '' } });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`failed to run node ${args.join(' ')}: exit ${result.status}: ${result.stderr.toString().trim()}`);
  return ms;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.ceil(at)]! - sorted[low]!) * (at - low);
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

const rows = Object.entries(CASES).map(([name, args]) => {
  // One warm-up each, so the first pair does not pay for the disk cache.
  timeRun(['-e', '0']);
  timeRun(args);
  const baseline: number[] = [];
  const command: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const a = timeRun(['-e', '0']);
    const b = timeRun(args);
    baseline.push(a);
    command.push(b);
    ratios.push(b / a);
  }
  const sorted = (list: number[]) => [...list].sort((x, y) => x - y);
  const r = sorted(ratios);
  return {
    command: name,
    pairs,
    medianRatio: round(quantile(r, 0.5)),
    ratioSpread: { min: round(r[0]!), p25: round(quantile(r, 0.25)), p75: round(quantile(r, 0.75)), max: round(r[r.length - 1]!) },
    medianMs: { 'node -e 0': round(quantile(sorted(baseline), 0.5), 1), command: round(quantile(sorted(command), 0.5), 1) },
    withinBudget: quantile(r, 0.5) <= 1.5,
  };
});
process.stdout.write(`${JSON.stringify({ node: process.version, budget: 1.5, rows }, null, 2)}\n`);
