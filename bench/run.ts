/**
 * `lab up` against plain `kind create cluster` with the same rendered config and node image, in the
 * same run, per topology; prints seconds and ratios. Not part of CI (each topology costs minutes).
 *
 *   npm run build && npm run bench -- [single] [multi] [ha] [external]
 *
 * Plain kind gets `--wait <budget>` (it then waits for the control plane to be Ready); `lab up` also
 * waits for every node Ready and every kube-system pod Running, so the ratio is the price of that
 * extra certainty plus kindlab's own steps.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaDockerCli } from '../src/cluster/docker-cli.js';
import { ensureKindNetwork } from '../src/cluster/ensure-kind-network.js';
import { externalEtcdEndpoint, startExternalEtcd, waitForEtcdHealthy } from '../src/cluster/external-etcd.js';
import { resolveNodeImage } from '../src/cluster/resolve-node-image.js';
import { ExecaCommandRunner } from '../src/common/execa-command-runner.js';
import { projectRoot } from '../src/common/paths.js';
import { findKind } from '../src/host/ensure-kind.js';
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
  labSeconds: number;
}

const runner = new ExecaCommandRunner();
const docker = new ExecaDockerCli(runner);
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
    if (spec.etcd === 'external') {
      await ensureKindNetwork(docker);
      await startExternalEtcd(docker, name);
      await waitForEtcdHealthy(docker, name, 60_000);
    }
    const { yaml } = renderKindConfig(spec, spec.etcd === 'external' ? { externalEtcdEndpoint: externalEtcdEndpoint(name) } : {});
    const created = spawnSync(kind.path, ['create', 'cluster', '--name', name, '--config', '-', '--image', image, '--kubeconfig', kubeconfig, '--wait', '10m'], {
      input: yaml,
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    const kindSeconds = (Date.now() - t0) / 1000;
    cleanup(name, kind.path, kubeconfig);
    if (created.status !== 0) throw new Error(`kind create cluster failed for ${topology}`);

    const t1 = Date.now();
    const up = spawnSync(process.execPath, [lab, 'up', spec.kind, '--name', name, '--etcd', spec.etcd, '--image', image, '--kubeconfig', kubeconfig], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const labSeconds = (Date.now() - t1) / 1000;
    spawnSync(process.execPath, [lab, 'down', name], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
    if (up.status !== 0) throw new Error(`lab up failed for ${topology}`);
    rows.push({ topology, kindSeconds, labSeconds });
    process.stdout.write(`${topology}: kind ${kindSeconds.toFixed(1)}s, lab up ${labSeconds.toFixed(1)}s\n`);
  }
  process.stdout.write(`\nimage ${image}, ${kind.version}\n`);
  process.stdout.write('TOPOLOGY   KIND CREATE   LAB UP   RATIO\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.topology.padEnd(10)} ${`${r.kindSeconds.toFixed(1)}s`.padEnd(13)} ${`${r.labSeconds.toFixed(1)}s`.padEnd(8)} ${(r.labSeconds / r.kindSeconds).toFixed(2)}\n`,
    );
  }
}

/** By label, like `lab down`, so an aborted bench run does not break the next one. */
function cleanup(name: string, kindPath: string, kubeconfig: string): void {
  spawnSync(kindPath, ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], { stdio: 'ignore' });
  for (const label of [`io.x-k8s.kind.cluster=${name}`, `dev.kindlab.lab=${name}`]) {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
    const vols = execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=${label}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (vols.length) spawnSync('docker', ['volume', 'rm', '-f', ...vols], { stdio: 'ignore' });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
