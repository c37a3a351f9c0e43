/**
 * Time to a Ready hosted single lab (`lab up single --host-cluster`, the lab inside a pod of another
 * cluster) against a local `lab up single`, in alternating pairs (local, hosted, local, hosted ...) so
 * drift on a shared machine hits both alike (issue 13). Both commands wait for the same thing: every
 * node Ready and every kube-system pod Ready. Each lab is removed after its run (not timed). Prints
 * JSON: every pair's seconds and hosted/local ratio, the medians and the ratio's spread, and the
 * hosted runs' step times. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/hosted-bench.js <host-kubeconfig> <host-context> [pairs]
 *
 * The host cluster is any cluster whose nodes can run kindlab/dind (e.g. `lab up multi`'s, whose
 * workers get the image from this machine's Docker on first use; that first import is not timed:
 * a warm-up hosted lab runs first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, round } from './bench-stats.js';
import { runLabTimed } from './lab-cli.js';

const [hostKubeconfig, hostContext, pairsText] = process.argv.slice(2);
const pairCount = Number(pairsText ?? 3);
if (!hostKubeconfig || !hostContext || !Number.isInteger(pairCount) || pairCount < 1) {
  process.stderr.write('usage: node dist/bench/hosted-bench.js <host-kubeconfig> <host-context> [pairs]\n');
  process.exit(2);
}
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kindlab-hosted-bench-')), 'kubeconfig');
const hostFlags = ['--host-cluster', hostKubeconfig, '--host-context', hostContext];

function upAndDown(name: string, extra: readonly string[]): { seconds: number; steps?: Record<string, number> } {
  const up = runLabTimed(['up', 'single', '--name', name, '--profile', 'workshop', '--kubeconfig', kubeconfig, ...extra, '-o', 'json']);
  runLabTimed(['down', name]);
  const result = up.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string; result?: { durationsMs?: Record<string, number> } })
    .find((e) => e.event === 'result');
  return { seconds: up.seconds, ...(result?.result?.durationsMs ? { steps: result.result.durationsMs } : {}) };
}

// Warm-up: the pod image reaches the host's nodes and the image tar is saved once, as for a room's first lab.
upAndDown('hb-warm', hostFlags);
const pairs: Array<{ localSeconds: number; hostedSeconds: number; ratio: number; hostedSteps?: Record<string, number> }> = [];
for (let i = 0; i < pairCount; i++) {
  const local = upAndDown(`hb-local-${i}`, []);
  const hosted = upAndDown(`hb-hosted-${i}`, hostFlags);
  pairs.push({
    localSeconds: round(local.seconds),
    hostedSeconds: round(hosted.seconds),
    ratio: round(hosted.seconds / local.seconds),
    ...(hosted.steps ? { hostedSteps: hosted.steps } : {}),
  });
  process.stderr.write(`pair ${i + 1}: local ${local.seconds.toFixed(1)} s, hosted ${hosted.seconds.toFixed(1)} s\n`);
}
const ratios = pairs.map((p) => p.ratio);
process.stdout.write(
  `${JSON.stringify(
    {
      pairs,
      medianLocalSeconds: round(median(pairs.map((p) => p.localSeconds))),
      medianHostedSeconds: round(median(pairs.map((p) => p.hostedSeconds))),
      medianRatio: round(median(ratios)),
      spread: [Math.min(...ratios), Math.max(...ratios)],
    },
    null,
    2,
  )}\n`,
);
