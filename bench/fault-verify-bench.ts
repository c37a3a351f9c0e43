/**
 * `lab verify` of an ha lab right after one stacked etcd member stops, with two builds in alternating
 * pairs (A B A B ...). Each run gets a fault of its own: the etcd manifest of the last control plane is
 * moved out of /etc/kubernetes/manifests, the run starts once its container is gone (the load balancer
 * still sends a share of connections to that node's API server, which holds them), then the manifest
 * is put back and the next run waits until a verify passes. Prints JSON: seconds of each verify, the
 * checks that failed, the new/old ratio. Not part of CI.
 *
 *   node dist/bench/fault-verify-bench.js --baseline-cli <old>/dist/bin/main.js --pairs 3 <ha lab>
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { LAB_CLI } from './lab-cli.js';
import { median, round } from './bench-stats.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv.splice(i, 2)[1];
};
const baselineFlag = flag('--baseline-cli');
const pairs = Number(flag('--pairs') ?? 3);
if (!baselineFlag || !argv[0] || !Number.isInteger(pairs) || pairs < 1) {
  process.stderr.write('usage: node dist/bench/fault-verify-bench.js --baseline-cli <main.js> [--pairs n] <ha lab>\n');
  process.exit(2);
}
const baseline: string = baselineFlag;
const lab: string = argv[0];

function run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
}

function docker(args: readonly string[]): string {
  const result = run('docker', args);
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Polls until `done` holds; throws with what it last saw after `timeoutMs`. */
function waitFor(what: string, done: () => boolean, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    sleep(1000);
  }
}

const controlPlanes = docker([
  'ps',
  '--filter',
  `label=io.x-k8s.kind.cluster=${lab}`,
  '--filter',
  'label=io.x-k8s.kind.role=control-plane',
  '--format',
  '{{.Names}}',
])
  .split('\n')
  .filter(Boolean)
  .sort();
if (controlPlanes.length < 3) throw new Error(`${lab} needs 3 control planes with stacked etcd`);
const victim: string = controlPlanes.at(-1)!;
const etcdRunning = () => docker(['exec', victim, 'crictl', 'ps', '--name', '^etcd$', '-q']).trim() !== '';
const verifyPasses = () => run(process.execPath, [LAB_CLI, 'verify', lab, '--format', 'json']).status === 0;

/** One verify with `cli` while the victim's etcd is stopped. */
function verifyDuringFault(cli: string): { seconds: number; exit: number | null; failed: string[] } {
  waitFor(`${lab} verify passing before the fault`, verifyPasses, 300_000);
  docker(['exec', victim, 'mv', '/etc/kubernetes/manifests/etcd.yaml', '/etc/kubernetes/etcd.yaml.bench-parked']);
  try {
    waitFor(`etcd to stop on ${victim}`, () => !etcdRunning(), 120_000);
    const start = performance.now();
    const result = run(process.execPath, [cli, 'verify', lab, '--format', 'json']);
    const seconds = (performance.now() - start) / 1000;
    const checks = (JSON.parse(result.stdout) as { checks: Array<{ status: string; name: string }> }).checks;
    return { seconds: round(seconds), exit: result.status, failed: checks.filter((c) => c.status === 'fail').map((c) => c.name) };
  } finally {
    docker(['exec', victim, 'mv', '/etc/kubernetes/etcd.yaml.bench-parked', '/etc/kubernetes/manifests/etcd.yaml']);
    waitFor(`etcd to run again on ${victim}`, etcdRunning, 180_000);
  }
}

const results: Array<{ old: ReturnType<typeof verifyDuringFault>; new: ReturnType<typeof verifyDuringFault>; ratio: number }> = [];
for (let i = 0; i < pairs; i++) {
  const old = verifyDuringFault(baseline);
  const current = verifyDuringFault(LAB_CLI);
  results.push({ old, new: current, ratio: round(current.seconds / old.seconds) });
  process.stderr.write(
    `pair ${i + 1}/${pairs}: old ${old.seconds} s (${old.failed.length} failed), new ${current.seconds} s (${current.failed.length} failed)\n`,
  );
}
waitFor(`${lab} verify passing after the bench`, verifyPasses, 300_000);
const ratios = results.map((r) => r.ratio);
process.stdout.write(
  `${JSON.stringify(
    {
      command: `lab verify ${lab} --format json, etcd on ${victim} stopped`,
      baseline,
      current: LAB_CLI,
      pairs: results,
      medianOldSeconds: median(results.map((r) => r.old.seconds)),
      medianNewSeconds: median(results.map((r) => r.new.seconds)),
      ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    },
    null,
    2,
  )}\n`,
);
