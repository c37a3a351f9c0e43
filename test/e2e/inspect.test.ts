/**
 * Runs the inspect/report checks on one cluster of its own, so they can be run alone:
 *   npx vitest run --project e2e test/e2e/inspect.test.ts
 * KINDLAB_INSPECT_CLUSTER=<name> reuses an existing kind cluster instead (faster while developing).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { ExecaCommandRunner } from '../../src/common/execa-command-runner.js';
import { kindlabBinDir } from '../../src/common/paths.js';
import { OFFLINE_NODE_IMAGE } from '../../src/image/image-refs.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import type { LiveLab } from './support/live-lab.js';

const runner = new ExecaCommandRunner();
const reuse = process.env.KINDLAB_INSPECT_CLUSTER;
const name = reuse ?? 'insp-e2e';
const kind = existsSync(join(kindlabBinDir(), 'kind')) ? join(kindlabBinDir(), 'kind') : 'kind';
const dir = mkdtempSync(join(tmpdir(), 'insp-e2e-'));
let lab: LiveLab | undefined;

async function deleteCluster(): Promise<void> {
  await runner.run(kind, ['delete', 'cluster', '--name', name], { allowFailure: true });
}

describe(`inspect e2e on ${name}`, () => {
  beforeAll(async () => {
    if (!reuse) {
      await deleteCluster();
      const config = join(dir, 'kind.yaml');
      writeFileSync(config, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n');
      await runner.run(kind, ['create', 'cluster', '--name', name, '--image', process.env.KINDLAB_NODE_IMAGE ?? OFFLINE_NODE_IMAGE, '--config', config, '--wait', '3m']);
    }
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, (await runner.run(kind, ['get', 'kubeconfig', '--name', name])).stdout);
    lab = { name, kubeconfigPath } as LiveLab;
  });
  afterAll(async () => {
    if (!reuse) await deleteCluster();
  });
  registerInspectChecks(() => {
    if (!lab) throw new Error('the cluster was not created');
    return lab;
  });
});
