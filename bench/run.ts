/**
 * `lab up` against plain `kind create cluster` with the same rendered config and node image, in the
 * same run, per topology; prints seconds and ratios. Not part of CI (each topology costs minutes).
 *
 *   npm run build && npm run bench -- [single] [multi] [ha] [external]
 *
 * Plain kind gets `--wait <budget>` (it then waits for the control plane to be Ready); `lab up` also
 * waits for every node Ready and every kube-system pod Running. So two baselines: plain kind alone,
 * and plain kind followed by `kubectl wait` for the same guarantee (when kubectl is on PATH).
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
import { projectRoot } from '../src/common/paths.js';
import { findKind } from '../src/host/find-kind.js';
import { buildTopologySpec } from '../src/topology/build-topology-spec.js';
import { renderKindConfig } from '../src/topology/render-kind-config.js';
import type { TopologyInput } from '../src/topology/topology-spec.js';

const CASES: Record<string, TopologyInput> = {
  single: { kind: 'single' },
  multi: { kind: 'multi' },
  ha: { kind: 'ha' },
  external: { kind: 'multi', etcd: 'external' },
};

interface Row {
  topology: string;
  kindSeconds: number;
  /** kind create + `kubectl wait` for all nodes and kube-system pods Ready (undefined without kubectl). */
  kindWaitSeconds: number | undefined;
  labSeconds: number;
  /** lab up's own step timings (from its --json events), to show where the difference goes. */
  steps: Record<string, number>;
}

const runner = new ChildProcessCommandRunner();
const docker = defaultDockerCli(runner);
const lab = join(projectRoot(), 'dist', 'src', 'cli', 'main.js');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a in CASES);
  const names = wanted.length > 0 ? wanted : Object.keys(CASES);
  const kind = await findKind(runner);
  if (!kind) throw new Error('kind not found: run `lab host prepare`');
  const image = (await resolveNodeImage(docker, { image: undefined, kubernetesVersion: undefined })).ref;
  const rows: Row[] = [];
  for (const topology of names) {
    const name = `bench-${topology}`;
    const spec = buildTopologySpec({ ...CASES[topology], name });
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-bench-'));
    const kubeconfig = join(dir, 'kubeconfig');
    cleanup(name, kind.path, kubeconfig);

    // Plain kind: the same config kindlab renders (external etcd started the same way), same image.
    const t0 = Date.now();
    const pkiHostDir = spec.etcd === 'external' ? etcdPkiHostDir(await docker.rootDir(), name) : undefined;
    if (pkiHostDir) {
      await ensureKindNetwork(docker);
      await bringUpExternalEtcd(docker, name, { nodeImage: image, pkiHostDir, healthTimeoutMs: 60_000 });
    }
    const { yaml } = renderKindConfig(spec, pkiHostDir ? { externalEtcd: { endpoint: externalEtcdEndpoint(name), pkiHostDir } } : {});
    const created = spawnSync(
      kind.path,
      ['create', 'cluster', '--name', name, '--config', '-', '--image', image, '--kubeconfig', kubeconfig, '--wait', '10m'],
      {
        input: yaml,
        stdio: ['pipe', 'inherit', 'inherit'],
      },
    );
    const kindSeconds = (Date.now() - t0) / 1000;
    // What a user of plain kind adds to get the same guarantee as `lab up`: every node Ready, every kube-system pod Ready.
    let kindWaitSeconds: number | undefined;
    if (created.status === 0 && hasKubectl()) {
      const kubectl = (args: string[]) =>
        spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'wait', '--timeout=10m', ...args], { stdio: 'ignore' }).status === 0;
      if (kubectl(['--for=condition=Ready', 'nodes', '--all']) && kubectl(['-n', 'kube-system', '--for=condition=Ready', 'pods', '--all'])) {
        kindWaitSeconds = (Date.now() - t0) / 1000;
      }
    }
    cleanup(name, kind.path, kubeconfig);
    if (created.status !== 0) throw new Error(`kind create cluster failed for ${topology}`);

    const t1 = Date.now();
    const up = spawnSync(
      process.execPath,
      [lab, 'up', spec.kind, '--name', name, '--etcd', spec.etcd, '--image', image, '--kubeconfig', kubeconfig, '--json'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
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
    rows.push({ topology, kindSeconds, kindWaitSeconds, labSeconds, steps });
    process.stdout.write(
      `${topology}: kind ${kindSeconds.toFixed(1)}s, kind+wait ${kindWaitSeconds?.toFixed(1) ?? '-'}s, lab up ${labSeconds.toFixed(1)}s, steps ${JSON.stringify(steps)}\n`,
    );
  }
  process.stdout.write(`\nimage ${image}, ${kind.version}\n`);
  process.stdout.write('TOPOLOGY   KIND CREATE   KIND+WAIT   LAB UP   RATIO   RATIO/WAIT   (lab up: kind step / waits for nodes+pods / other steps)\n');
  for (const r of rows) {
    const kindStep = (r.steps['kind-create'] ?? 0) + (r.steps['external-etcd'] ?? 0);
    const waits = (r.steps['nodes-ready'] ?? 0) + (r.steps['pods-running'] ?? 0);
    const other = r.labSeconds - kindStep - waits;
    process.stdout.write(
      `${r.topology.padEnd(10)} ${`${r.kindSeconds.toFixed(1)}s`.padEnd(13)} ${`${r.kindWaitSeconds?.toFixed(1) ?? '-'}s`.padEnd(11)} ` +
        `${`${r.labSeconds.toFixed(1)}s`.padEnd(8)} ${(r.labSeconds / r.kindSeconds).toFixed(2).padEnd(7)} ` +
        `${r.kindWaitSeconds ? (r.labSeconds / r.kindWaitSeconds).toFixed(2) : '-'}`.padEnd(12) +
        ' ' +
        `(${kindStep.toFixed(1)}s / ${waits.toFixed(1)}s / ${other.toFixed(1)}s)\n`,
    );
  }
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
