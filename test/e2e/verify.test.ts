/**
 * Runs the verify checks on a cluster of their own, so they can be run alone:
 *   npx vitest run --project e2e test/e2e/verify.test.ts
 * KINDLAB_VERIFY_CLUSTER=<name> reuses an existing cluster; KINDLAB_VERIFY_TOPOLOGY picks what
 * `lab up` creates (default multi --workers 1).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { ExecaCommandRunner } from '../../src/common/execa-command-runner.js';
import { projectRoot } from '../../src/common/paths.js';
import { registerVerifyChecks } from './checks/verify-checks.js';
import type { LiveLab } from './support/live-lab.js';

const runner = new ExecaCommandRunner();
const reuse = process.env.KINDLAB_VERIFY_CLUSTER;
const name = reuse ?? 'verify-e2e';
const topology = (process.env.KINDLAB_VERIFY_TOPOLOGY ?? 'multi --workers 1').split(' ');
const main = join(projectRoot(), 'dist', 'src', 'cli', 'main.js');
let lab: LiveLab | undefined;

async function lab_(args: string[]) {
  if (!existsSync(main)) throw new Error('run `npm run build` first');
  return runner.run('node', [main, ...args], { timeoutMs: 15 * 60_000 });
}

describe(`verify e2e on ${name}`, () => {
  beforeAll(async () => {
    if (!reuse) {
      await lab_(['down', name]);
      await lab_(['up', ...topology, '--name', name]);
    }
    lab = { name } as LiveLab;
  });
  afterAll(async () => {
    if (!reuse) await lab_(['down', name]);
  });
  registerVerifyChecks(() => {
    if (!lab) throw new Error('the cluster was not created');
    return lab;
  });
});
