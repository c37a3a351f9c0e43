/**
 * Time from `lab claim` to a lab that passes a readiness check, against `lab up single`, in the same
 * run (the goal: claim <= 0.1 of up). One lab at a time: `lab up single` (timed) and down;
 * then `lab pool fill --size 1 single` (not timed), left suspended for --idle seconds (longer than the
 * node lifecycle controller's 40 s grace period, as in a room where labs wait), then `lab claim`
 * (timed), each followed by the same readiness check (every node Ready and every kube-system pod
 * Ready, read through the participant's / the lab's kubeconfig). Prints JSON. Not part of CI.
 *
 *   npm run build
 *   node dist/bench/claim-bench.js [--name bench] [--idle 60]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkKubeSystemPodsReady, checkNodesReady } from '../src/cluster/lab-readiness.js';
import { kindlabBinDir } from '../src/common/paths.js';
import { connectHttpsKubeApi } from '../src/kube/https-kube-api.js';
import { runLabTimed } from './lab-cli.js';
import { cliFlag } from './cli-flag.js';

const prefix = cliFlag('--name', 'bench');
const idleS = Number(cliFlag('--idle', '60'));
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

const upName = `${prefix}-up`;
const up = runLabTimed(['up', 'single', '--name', upName, '--kubeconfig', kubeconfig]);
const kind = process.env.KINDLAB_KIND ?? join(kindlabBinDir(), 'kind');
const upReady = await readiness(execFileSync(kind, ['get', 'kubeconfig', '--name', upName], { encoding: 'utf8' }));
runLabTimed(['down', upName]);

const pool = `${prefix}-pool`;
const participant = `${prefix}-bob`;
runLabTimed(['pool', 'fill', '--size', '1', 'single', '--pool', pool, '--kubeconfig', kubeconfig]);
await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
const claim = runLabTimed(['claim', participant, '--pool', pool, '--output', 'json']);
const claimed = JSON.parse(claim.stdout) as { kubeconfig: string; resumeMs: number };
const claimReady = await readiness(readFileSync(claimed.kubeconfig, 'utf8'));
runLabTimed(['pool', 'drain', '--pool', pool]);

const upTotal = up.seconds + upReady;
const claimTotal = claim.seconds + claimReady;
process.stdout.write(
  `${JSON.stringify(
    {
      labUpSingle: { cliSeconds: round(up.seconds), readinessAfterSeconds: round(upReady), totalSeconds: round(upTotal) },
      labClaim: {
        cliSeconds: round(claim.seconds),
        resumeWaitSeconds: round(claimed.resumeMs / 1000),
        readinessAfterSeconds: round(claimReady),
        totalSeconds: round(claimTotal),
      },
      suspendedForSeconds: idleS,
      claimOverUp: round(claimTotal / upTotal),
      goal: 0.1,
    },
    null,
    2,
  )}\n`,
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
