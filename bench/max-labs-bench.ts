/**
 * Issue 11: how many single labs run at once on this machine with `lab verify` green on all of them.
 * Labs are added in steps (`lab up single --profile P`, one at a time, as a room's labs come up), and
 * after each step, once they had time to settle, every lab is verified one after another. The bench
 * stops at the first step where a lab fails to come up or to verify, or at --max. Prints JSON: per
 * step the labs, how many passed verify, how long verify took (median, max), the load average, the
 * labs' own CPU (cgroups, over --measure seconds) and the memory the host has left. Not part of CI:
 * at 20 labs it runs for about half an hour and takes the machine.
 *
 * Single labs, not `lab up --count`: the count's capacity check refuses what it predicts will not fit
 * (80 % of the cores for idle labs), and this bench measures what really does.
 *
 *   npm run build
 *   node dist/bench/max-labs-bench.js [--start 10] [--step 2] [--max 24] [--profile workshop] [--settle 60] [--measure 30] [--name maxlab]
 *
 * Every lab it creates is named <name>-<n> and removed at the end (also after a failure).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { freemem, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliFlag } from './cli-flag.js';
import { labContainerNames, readCgroup } from './container-cgroup.js';
import { LAB_CLI } from './lab-cli.js';
import { median } from './bench-stats.js';

const start = Number(cliFlag('--start', '10'));
const step = Number(cliFlag('--step', '2'));
const max = Number(cliFlag('--max', '24'));
const profile = cliFlag('--profile', 'workshop');
const settleS = Number(cliFlag('--settle', '60'));
const measureS = Number(cliFlag('--measure', '30'));
const prefix = cliFlag('--name', 'maxlab');
if (![start, step, max, settleS, measureS].every((n) => Number.isInteger(n) && n >= 0) || start < 1 || step < 1 || max < start) {
  process.stderr.write('usage: node dist/bench/max-labs-bench.js [--start 10] [--step 2] [--max 24] [--profile workshop] [--settle 60] [--measure 30]\n');
  process.exit(2);
}
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kindlab-max-labs-')), 'kubeconfig');

interface Lab {
  name: string;
  upSeconds: number;
}

interface Step {
  labs: number;
  verified: number;
  failed: string[];
  verifySeconds: { median: number; max: number };
  loadAverage1m: number;
  labsCpuCores: number;
  cpuCoresPerLab: number;
  memoryFreeGiB: number;
  upSeconds: { median: number; max: number };
}

/** One `lab` run; its exit code and output are the result, not a reason to stop. */
function lab(args: readonly string[]): { ok: boolean; seconds: number; output: string } {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [LAB_CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { ok: run.status === 0, seconds: (performance.now() - t0) / 1000, output: `${run.stdout}\n${run.stderr}`.trim() };
}

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));
const round1 = (n: number) => Math.round(n * 10) / 10;
const labs: Lab[] = [];
const steps: Step[] = [];
let stoppedBecause = `reached --max ${max}`;
try {
  for (let target = start; target <= max; target += step) {
    let upFailed: string | undefined;
    while (labs.length < target) {
      const name = `${prefix}-${labs.length + 1}`;
      const up = lab(['up', 'single', '--name', name, '--profile', profile, '--kubeconfig', kubeconfig]);
      labs.push({ name, upSeconds: round1(up.seconds) });
      process.stderr.write(`lab up ${name}: ${up.ok ? 'ok' : 'FAILED'} in ${round1(up.seconds)} s\n`);
      if (!up.ok) {
        upFailed = `lab up ${name} failed: ${up.output.split('\n').slice(-3).join(' | ')}`;
        break;
      }
    }
    if (upFailed) {
      stoppedBecause = upFailed;
      break;
    }
    await sleep(settleS);
    const containers = labs.flatMap((l) => labContainerNames(l.name));
    const before = containers.map((c) => readCgroup(c).cpuNs);
    const t0 = process.hrtime.bigint();
    await sleep(measureS);
    const cpuNs = containers.reduce((sum, c, i) => sum + readCgroup(c).cpuNs - before[i]!, 0);
    const labsCpuCores = cpuNs / Number(process.hrtime.bigint() - t0);
    const loadAverage1m = loadavg()[0]!;
    const verifies = labs.map((l) => ({ name: l.name, ...lab(['verify', l.name]) }));
    const failed = verifies.filter((v) => !v.ok);
    const row: Step = {
      labs: labs.length,
      verified: verifies.length - failed.length,
      failed: failed.map(
        (f) =>
          `${f.name}: ${f.output
            .split('\n')
            .filter((line) => /fail/i.test(line))
            .slice(0, 3)
            .join(' | ')}`,
      ),
      verifySeconds: { median: round1(median(verifies.map((v) => v.seconds))), max: round1(Math.max(...verifies.map((v) => v.seconds))) },
      loadAverage1m: round1(loadAverage1m),
      labsCpuCores: Math.round(labsCpuCores * 1000) / 1000,
      cpuCoresPerLab: Math.round((labsCpuCores / labs.length) * 1000) / 1000,
      memoryFreeGiB: round1(freemem() / 2 ** 30),
      upSeconds: { median: round1(median(labs.map((l) => l.upSeconds))), max: round1(Math.max(...labs.map((l) => l.upSeconds))) },
    };
    steps.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
    if (failed.length > 0) {
      stoppedBecause = `${failed.length} of ${labs.length} labs failed lab verify`;
      break;
    }
  }
} finally {
  for (const l of labs) lab(['down', l.name]);
}
const green = steps.filter((s) => s.failed.length === 0).map((s) => s.labs);
process.stdout.write(
  `${JSON.stringify({ profile, start, step, max, settleS, measureS, mostLabsAllGreen: green.length ? Math.max(...green) : 0, stoppedBecause, steps }, null, 2)}\n`,
);
