/**
 * Issue 14's whole-command goals, each against its baseline in alternating pairs (A B A B ...), so a
 * busy machine slows both sides of a pair alike. Prints JSON: per goal every pair's seconds, the
 * median ratio and its spread (min, max). Not part of CI; timings are never asserted.
 *
 *   npm run build && node dist/bench/command-goals-bench.js <lab> [pairs]
 *
 * - `lab report <lab> --format html --out FILE` against `docker exec <node> ps -eo pid,ppid,args` for
 *   every node of the lab one after another (goal on a 4-node ha lab: at most 1.5x);
 * - `lab status <lab> --json` (run once before, so it measures CPU since then as a repeated status
 *   does) against `node -e 0` plus one `docker ps` (goal: at most 2x).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LAB_CLI } from './lab-cli.js';
import { median, round, timeCliRun } from './bench-stats.js';

const lab = process.argv[2];
const pairs = Number(process.argv[3] ?? 7);
if (!lab || !Number.isInteger(pairs) || pairs < 1) {
  process.stderr.write('usage: node dist/bench/command-goals-bench.js <lab> [pairs]\n');
  process.exit(2);
}
const cli = LAB_CLI;
const out = join(mkdtempSync(join(tmpdir(), 'kindlab-goals-')), 'report.html');

/** Seconds of one external command; a failure stops the bench with its stderr. */
function timeCommand(file: string, args: readonly string[]): number {
  const start = performance.now();
  const result = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`failed to run ${file} ${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return seconds;
}

const nodes = spawnSync('docker', ['ps', '--filter', `label=io.x-k8s.kind.cluster=${lab}`, '--format', '{{.Names}} {{.Label "io.x-k8s.kind.role"}}'], {
  encoding: 'utf8',
})
  .stdout.trim()
  .split('\n')
  .map((line) => line.split(' '))
  .filter(([, role]) => role === 'control-plane' || role === 'worker')
  .map(([name]) => name!);
if (nodes.length === 0) {
  process.stderr.write(`error: lab ${lab} has no running node containers\n`);
  process.exit(2);
}

const GOALS = [
  {
    goal: `lab report ${lab} --format html / docker exec ps on each of ${nodes.length} nodes in turn`,
    limit: 1.5,
    a: () => timeCliRun(cli, ['report', lab, '--format', 'html', '--out', out]),
    b: () => nodes.reduce((sum, node) => sum + timeCommand('docker', ['exec', node, 'ps', '-eo', 'pid,ppid,args']), 0),
  },
  {
    goal: `lab status ${lab} --json / node -e 0 + docker ps`,
    limit: 2,
    a: () => timeCliRun(cli, ['status', lab, '--json']),
    b: () => timeCommand(process.execPath, ['-e', '0']) + timeCommand('docker', ['ps']),
  },
];

// One status first: the timed ones then use its CPU counters, as every status after the first does.
timeCliRun(cli, ['status', lab, '--json']);
const results = GOALS.map(({ goal, limit, a, b }) => {
  const runs: Array<{ a: number; b: number; ratio: number }> = [];
  for (let i = 0; i < pairs; i++) {
    const [sa, sb] = [a(), b()];
    runs.push({ a: round(sa), b: round(sb), ratio: round(sa / sb) });
    process.stderr.write(`${goal}: pair ${i + 1}/${pairs}: ${sa.toFixed(3)} s / ${sb.toFixed(3)} s\n`);
  }
  const ratios = runs.map((r) => r.ratio);
  return {
    goal,
    limit,
    medianSeconds: { a: round(median(runs.map((r) => r.a))), b: round(median(runs.map((r) => r.b))) },
    ratio: { median: round(median(ratios)), min: Math.min(...ratios), max: Math.max(...ratios) },
    pairs: runs,
  };
});
process.stdout.write(`${JSON.stringify({ lab, nodes, results }, null, 2)}\n`);
