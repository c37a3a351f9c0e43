/**
 * Idle CPU and memory of one lab with the default and the workshop profile (templates/profiles/),
 * from the lab's containers' own cgroups, in alternating pairs (default, workshop, default, ...) so
 * drift on a shared machine hits both alike. Each run: `lab up <topology> --profile P`, let it settle,
 * read the CPU counters over the measuring window and the memory at its end, `lab down`. One lab at a
 * time. Prints JSON: every run, then per profile the median CPU (% of one core) and memory (MiB), and
 * workshop/default ratios. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/profile-idle-bench.js [--pairs 3] [--topology single] [--settle 60] [--measure 60] [--name bench]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliFlag } from './cli-flag.js';
import { labContainerNames, readCgroup } from './container-cgroup.js';
import { median, runLabTimed } from './lab-cli.js';

const pairs = Number(cliFlag('--pairs', '3'));
const topology = cliFlag('--topology', 'single');
const settleS = Number(cliFlag('--settle', '60'));
const measureS = Number(cliFlag('--measure', '60'));
const prefix = cliFlag('--name', 'bench');
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kindlab-profile-bench-')), 'kubeconfig');
const PROFILES = ['default', 'workshop'] as const;

interface Run {
  pair: number;
  profile: (typeof PROFILES)[number];
  upSeconds: number;
  containers: number;
  cpuPercentOfOneCore: number;
  memoryMiB: number;
}

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));
const runs: Run[] = [];
for (let pair = 1; pair <= pairs; pair++) {
  for (const profile of PROFILES) {
    const name = `${prefix}-${profile}`;
    const up = runLabTimed(['up', topology, '--name', name, '--profile', profile, '--kubeconfig', kubeconfig]);
    try {
      await sleep(settleS);
      const containers = labContainerNames(name);
      const before = containers.map((c) => readCgroup(c).cpuNs);
      const t0 = process.hrtime.bigint();
      await sleep(measureS);
      const after = containers.map((c) => readCgroup(c));
      const elapsedNs = Number(process.hrtime.bigint() - t0);
      const cpuNs = after.reduce((sum, sample, i) => sum + sample.cpuNs - before[i]!, 0);
      const memory = after.reduce((sum, sample) => sum + sample.workingSetBytes, 0);
      const run: Run = {
        pair,
        profile,
        upSeconds: Math.round(up.seconds),
        containers: containers.length,
        cpuPercentOfOneCore: Math.round((cpuNs / elapsedNs) * 1000) / 10,
        memoryMiB: Math.round(memory / 2 ** 20),
      };
      runs.push(run);
      process.stderr.write(`${JSON.stringify(run)}\n`);
    } finally {
      runLabTimed(['down', name]);
    }
  }
}

const summary = Object.fromEntries(
  PROFILES.map((profile) => {
    const mine = runs.filter((r) => r.profile === profile);
    return [profile, { cpuPercentOfOneCore: median(mine.map((r) => r.cpuPercentOfOneCore)), memoryMiB: median(mine.map((r) => r.memoryMiB)) }];
  }),
);
const ratio = (key: 'cpuPercentOfOneCore' | 'memoryMiB') => Math.round((summary.workshop![key] / summary.default![key]) * 100) / 100;
process.stdout.write(
  `${JSON.stringify({ topology, pairs, settleS, measureS, runs, median: summary, workshopOverDefault: { cpu: ratio('cpuPercentOfOneCore'), memory: ratio('memoryMiB') } }, null, 2)}\n`,
);
