/**
 * Time from `lab claim` to a lab that passes a readiness check, against `lab up single`, in the same
 * run (the goal: claim <= 0.1 of up), for both kinds of pool lab. One lab at a time, per
 * round: `lab up single` (timed) and down; `lab pool fill --size 1 single` (not timed), left
 * suspended for --idle seconds (longer than the node lifecycle controller's 40 s grace period, as in
 * a room where labs wait), then `lab claim` (timed) and drain; the same with `--running 1` (the lab
 * kept running for an instant claim). Each timed command is followed by the same readiness check
 * (every node Ready and every kube-system pod Ready, through the participant's / the lab's
 * kubeconfig). --rounds rounds (A B C A B C ...); prints JSON with every round, the medians and the
 * spread of each ratio. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/claim-bench.js [--name bench] [--idle 60] [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkKubeSystemPodsReady, checkNodesReady } from '../src/cluster/lab-readiness.js';
import { kindlabBinDir } from '../src/common/paths.js';
import { connectHttpsKubeApi } from '../src/kube/https-kube-api.js';
import { median, runLabTimed } from './lab-cli.js';
import { cliFlag } from './cli-flag.js';

const prefix = cliFlag('--name', 'bench');
const idleS = Number(cliFlag('--idle', '60'));
const rounds = Number(cliFlag('--rounds', '3'));
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kindlab-claim-bench-')), 'kubeconfig');

/** The readiness check both paths must pass: seconds until it does (0 when it passes at the first look). */
async function readiness(kubeconfigText: string): Promise<number> {
  const kube = connectHttpsKubeApi(kubeconfigText);
  const start = performance.now();
  for (;;) {
    const nodes = await checkNodesReady(kube, 1);
    const pods = nodes.done ? await checkKubeSystemPodsReady(kube) : nodes;
    if (pods.done) return (performance.now() - start) / 1000;
    if (performance.now() - start > 600_000) throw new Error(`readiness check failed: ${pods.state}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const kind = process.env.KINDLAB_KIND ?? join(kindlabBinDir(), 'kind');

/** `lab up single` to a lab that passes the readiness check, in seconds; the lab is removed afterwards. */
async function upOnce(): Promise<number> {
  const upName = `${prefix}-up`;
  const up = runLabTimed(['up', 'single', '--name', upName, '--kubeconfig', kubeconfig]);
  const ready = await readiness(execFileSync(kind, ['get', 'kubeconfig', '--name', upName], { encoding: 'utf8' }));
  runLabTimed(['down', upName]);
  return up.seconds + ready;
}

/** `lab claim` of a pool lab left idle for --idle seconds (suspended, or running with --running 1) to a lab that passes the check. */
async function claimOnce(fillFlags: readonly string[]): Promise<{ seconds: number; thawed: boolean }> {
  const pool = `${prefix}-pool`;
  runLabTimed(['pool', 'fill', '--size', '1', ...fillFlags, 'single', '--pool', pool, '--kubeconfig', kubeconfig]);
  await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
  const claim = runLabTimed(['claim', `${prefix}-bob`, '--pool', pool, '--output', 'json']);
  const claimed = JSON.parse(claim.stdout) as { kubeconfig: string; thawed: boolean };
  const ready = await readiness(readFileSync(claimed.kubeconfig, 'utf8'));
  runLabTimed(['pool', 'drain', '--pool', pool]);
  return { seconds: claim.seconds + ready, thawed: claimed.thawed };
}

const results: Array<{ upSingle: number; claimSuspended: number; claimRunning: number }> = [];
for (let round = 0; round < rounds; round++) {
  const upSingle = await upOnce();
  const suspended = await claimOnce([]);
  const running = await claimOnce(['--running', '1']);
  if (!suspended.thawed || running.thawed) throw new Error(`round ${round + 1}: the suspended lab must be thawed by its claim, the running one not`);
  results.push({ upSingle: round2(upSingle), claimSuspended: round2(suspended.seconds), claimRunning: round2(running.seconds) });
  process.stderr.write(`round ${round + 1}: ${JSON.stringify(results.at(-1))}\n`);
}

const ratio = (key: 'claimSuspended' | 'claimRunning') => {
  const ratios = results.map((r) => r[key] / r.upSingle);
  return { median: round2(median(ratios)), min: round2(Math.min(...ratios)), max: round2(Math.max(...ratios)) };
};
process.stdout.write(
  `${JSON.stringify(
    {
      rounds: results,
      suspendedForSeconds: idleS,
      medianSeconds: {
        upSingle: round2(median(results.map((r) => r.upSingle))),
        claimSuspended: round2(median(results.map((r) => r.claimSuspended))),
        claimRunning: round2(median(results.map((r) => r.claimRunning))),
      },
      claimSuspendedOverUp: ratio('claimSuspended'),
      claimRunningOverUp: ratio('claimRunning'),
      goal: 0.1,
    },
    null,
    2,
  )}\n`,
);

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
