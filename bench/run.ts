/**
 * `lab up` against plain `kind create cluster` with the same rendered config and node image, per
 * topology, in alternating pairs (kind, lab up, kind, lab up, ...: a busy machine slows both sides of
 * a pair alike); prints every pair's seconds, and per topology the median ratio and its spread. Not
 * part of CI (each topology costs minutes); timings are never asserted.
 *
 *   npm run build && npm run bench -- [single] [multi] [ha] [external] [--pairs 3]
 *
 * Plain kind gets `--wait <budget>` (it then waits for the control plane to be Ready); `lab up` also
 * waits for every node Ready and every kube-system pod Ready. So the ratio is taken against plain
 * kind followed by `kubectl wait` for the same guarantee (kubectl must be on PATH); plain kind alone
 * is printed too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDockerCli } from '../src/docker/default-docker-cli.js';
import { ensureKindNetwork } from '../src/cluster/ensure-kind-network.js';
import { bringUpExternalEtcd, externalEtcdEndpoint } from '../src/cluster/external-etcd.js';
import { etcdPkiHostDir } from '../src/cluster/external-etcd-pki.js';
import { resolveNodeImage } from '../src/cluster/resolve-node-image.js';
import { ChildProcessCommandRunner } from '../src/common/child-process-command-runner.js';
import { findKind } from '../src/host/find-kind.js';
import { buildTopologySpec } from '../src/topology/build-topology-spec.js';
import { renderKindConfig } from '../src/topology/render-kind-config.js';
import type { TopologyInput } from '../src/topology/topology-spec.js';
import { median } from './bench-stats.js';
import { cliFlag } from './cli-flag.js';
import { LAB_CLI } from './lab-cli.js';

const CASES: Record<string, TopologyInput> = {
  single: { kind: 'single' },
  multi: { kind: 'multi' },
  ha: { kind: 'ha' },
  external: { kind: 'multi', etcd: 'external' },
};

interface Row {
  topology: string;
  pair: number;
  kindSeconds: number;
  /** kind create + `kubectl wait` for all nodes and kube-system pods Ready (undefined without kubectl). */
  kindWaitSeconds: number | undefined;
  labSeconds: number;
  /** lab up's own step timings (from its --json events), to show where the difference goes. */
  steps: Record<string, number>;
}

const runner = new ChildProcessCommandRunner();
const docker = defaultDockerCli(runner);
// The bundle that ships as `lab`, as a user runs it.
const lab = LAB_CLI;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a in CASES);
  const names = wanted.length > 0 ? wanted : Object.keys(CASES);
  const kind = await findKind(runner);
  if (!kind) throw new Error('kind not found: run `lab host prepare`');
  const image = (await resolveNodeImage(docker, { image: undefined, kubernetesVersion: undefined })).ref;
  if (!hasKubectl()) throw new Error('kubectl not found on PATH: the baseline is kind create + kubectl wait');
  const pairs = Number(cliFlag('--pairs', '3'));
  const rows: Row[] = [];
  for (const topology of names) {
    for (let pair = 1; pair <= pairs; pair++) {
      const row = { topology, pair, ...(await runPair(topology, kind.path, image)) };
      rows.push(row);
      process.stdout.write(
        `${topology} pair ${pair}: kind ${row.kindSeconds.toFixed(1)}s, kind+wait ${row.kindWaitSeconds?.toFixed(1) ?? '-'}s, lab up ${row.labSeconds.toFixed(1)}s, ` +
          `steps ${JSON.stringify(row.steps)}\n`,
      );
    }
  }
  process.stdout.write(`\nimage ${image}, ${kind.version}, ${pairs} pair(s) per topology\n`);
  process.stdout.write('TOPOLOGY   KIND CREATE   KIND+WAIT   LAB UP   LAB UP / KIND+WAIT (median, min-max)   (lab up: kind step / waits / other steps)\n');
  for (const topology of names) {
    const own = rows.filter((r) => r.topology === topology);
    const ratios = own.map((r) => r.labSeconds / (r.kindWaitSeconds ?? Number.NaN));
    const med = (pick: (r: Row) => number) => `${median(own.map(pick)).toFixed(1)}s`;
    const kindStep = median(own.map((r) => (r.steps['kind-create'] ?? 0) + (r.steps['external-etcd'] ?? 0)));
    const waits = median(own.map((r) => (r.steps['nodes-ready'] ?? 0) + (r.steps['pods-running'] ?? 0)));
    process.stdout.write(
      `${topology.padEnd(10)} ${med((r) => r.kindSeconds).padEnd(13)} ${med((r) => r.kindWaitSeconds ?? Number.NaN).padEnd(11)} ` +
        `${med((r) => r.labSeconds).padEnd(8)} ${`${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`.padEnd(38)} ` +
        `(${kindStep.toFixed(1)}s / ${waits.toFixed(1)}s / ${(median(own.map((r) => r.labSeconds)) - kindStep - waits).toFixed(1)}s)\n`,
    );
  }
}

/** One pair: plain kind (+ kubectl wait), then `lab up`, each removed afterwards. */
async function runPair(topology: string, kindPath: string, image: string): Promise<Omit<Row, 'topology' | 'pair'>> {
  const name = `bench-${topology}`;
  const spec = buildTopologySpec({ ...CASES[topology], name });
  const dir = mkdtempSync(join(tmpdir(), 'kindlab-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  cleanup(name, kindPath, kubeconfig);

  // Plain kind: the same config kindlab renders (external etcd started the same way), same image.
  const t0 = Date.now();
  const pkiHostDir = spec.etcd === 'external' ? etcdPkiHostDir(await docker.rootDir(), name) : undefined;
  if (pkiHostDir) {
    await ensureKindNetwork(docker);
    await bringUpExternalEtcd(docker, name, { nodeImage: image, pkiHostDir, healthTimeoutMs: 60_000 });
  }
  const { yaml } = renderKindConfig(spec, pkiHostDir ? { externalEtcd: { endpoint: externalEtcdEndpoint(name), pkiHostDir } } : {});
  const created = spawnSync(kindPath, ['create', 'cluster', '--name', name, '--config', '-', '--image', image, '--kubeconfig', kubeconfig, '--wait', '10m'], {
    input: yaml,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const kindSeconds = (Date.now() - t0) / 1000;
  // What a user of plain kind adds to get the same guarantee as `lab up`: every node Ready, every kube-system pod Ready.
  let kindWaitSeconds: number | undefined;
  if (created.status === 0) {
    const kubectl = (args: string[]) => spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'wait', '--timeout=10m', ...args], { stdio: 'ignore' }).status === 0;
    if (kubectl(['--for=condition=Ready', 'nodes', '--all']) && kubectl(['-n', 'kube-system', '--for=condition=Ready', 'pods', '--all'])) {
      kindWaitSeconds = (Date.now() - t0) / 1000;
    }
  }
  cleanup(name, kindPath, kubeconfig);
  if (created.status !== 0) throw new Error(`kind create cluster failed for ${topology}`);

  const t1 = Date.now();
  const up = spawnSync(process.execPath, [lab, 'up', spec.kind, '--name', name, '--etcd', spec.etcd, '--image', image, '--kubeconfig', kubeconfig, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const labSeconds = (Date.now() - t1) / 1000;
  const steps: Record<string, number> = {};
  for (const line of up.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { event: string; step?: string; status?: string; durationMs?: number };
    if (event.event === 'step' && event.status === 'succeeded' && event.step) steps[event.step] = (event.durationMs ?? 0) / 1000;
  }
  spawnSync(process.execPath, [lab, 'down', name], { stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  if (up.status !== 0) throw new Error(`lab up failed for ${topology}`);
  return { kindSeconds, kindWaitSeconds, labSeconds, steps };
}

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** By label, like `lab down`, so an aborted bench run does not break the next one. */
function cleanup(name: string, kindPath: string, kubeconfig: string): void {
  spawnSync(kindPath, ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], { stdio: 'ignore' });
  for (const label of [`io.x-k8s.kind.cluster=${name}`, `dev.kindlab.lab=${name}`]) {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
    const vols = execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=${label}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    if (vols.length) spawnSync('docker', ['volume', 'rm', '-f', ...vols], { stdio: 'ignore' });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
