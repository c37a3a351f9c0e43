/**
 * The same `lab` command timed with two builds, in alternating pairs (A B A B ...), so drift on a
 * shared machine hits both alike. Prints JSON: every pair's seconds and new/old ratio, and the median
 * and spread of the ratio. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/paired-cli-bench.js --baseline-cli <old>/dist/src/cli/main.js [--pairs 5] -- report <lab> --format html --out /tmp/r.html
 *
 * A command that changes the lab takes a second `--` and the command that puts it back, run untimed
 * with the current build after every timed run:
 *
 *   node dist/bench/paired-cli-bench.js --baseline-cli <old>/dist/bin/main.js --pairs 3 -- stop <lab> -- start <lab>
 *
 * The baseline is usually main built in a separate worktree (`git worktree add --detach <dir> main`,
 * then `npm ci && npm run build` there). A run that exits non-zero stops the bench with its stderr.
 */
import { LAB_CLI } from './lab-cli.js';
import { median, round, timeCliRun } from './bench-stats.js';

interface Options {
  baseline: string;
  pairs: number;
  args: string[];
  /** Run untimed after each timed run (`lab start` after a timed `lab stop`). */
  reset: string[];
}

function parseArgs(argv: string[]): Options {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const rest = split === -1 ? [] : argv.slice(split + 1);
  const second = rest.indexOf('--');
  const args = second === -1 ? rest : rest.slice(0, second);
  const reset = second === -1 ? [] : rest.slice(second + 1);
  const value = (flag: string): string | undefined => {
    const i = own.indexOf(flag);
    return i === -1 ? undefined : own[i + 1];
  };
  const baseline = value('--baseline-cli');
  const pairs = Number(value('--pairs') ?? 5);
  if (!baseline || args.length === 0 || !Number.isInteger(pairs) || pairs < 1) {
    process.stderr.write(
      'usage: node dist/bench/paired-cli-bench.js --baseline-cli <main.js> [--pairs n] -- <lab arguments> [-- <lab arguments run after each>]\n',
    );
    process.exit(2);
  }
  return { baseline, pairs, args, reset };
}

const options = parseArgs(process.argv.slice(2));
const current = LAB_CLI;
const pairs: Array<{ oldSeconds: number; newSeconds: number; ratio: number }> = [];
for (let i = 0; i < options.pairs; i++) {
  const oldSeconds = timeCliRun(options.baseline, options.args);
  if (options.reset.length > 0) timeCliRun(current, options.reset);
  const newSeconds = timeCliRun(current, options.args);
  if (options.reset.length > 0) timeCliRun(current, options.reset);
  pairs.push({ oldSeconds: round(oldSeconds), newSeconds: round(newSeconds), ratio: round(newSeconds / oldSeconds) });
  process.stderr.write(`pair ${i + 1}/${options.pairs}: old ${oldSeconds.toFixed(2)} s, new ${newSeconds.toFixed(2)} s\n`);
}
const ratios = pairs.map((p) => p.ratio);
process.stdout.write(
  `${JSON.stringify(
    {
      command: `lab ${options.args.join(' ')}`,
      ...(options.reset.length > 0 ? { resetAfterEach: `lab ${options.reset.join(' ')}` } : {}),
      baseline: options.baseline,
      current,
      pairs,
      medianOldSeconds: round(median(pairs.map((p) => p.oldSeconds))),
      medianNewSeconds: round(median(pairs.map((p) => p.newSeconds))),
      ratio: { median: round(median(ratios)), min: Math.min(...ratios), max: Math.max(...ratios) },
    },
    null,
    2,
  )}\n`,
);
