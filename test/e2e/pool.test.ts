import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labContainerNames } from '../../bench/container-cgroup.js';
import { connectHttpsKubeApi } from '../../src/kube/https-kube-api.js';
import { cpuUsedOver, labState } from './checks/suspend-resume-checks.js';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { runLab } from './support/run-lab.js';
import { e2eLabName } from './support/watch-lab.js';

const POOL = e2eLabName('pool');
const PARTICIPANT = e2eLabName('alice');
const SECOND_PARTICIPANT = e2eLabName('bob');

/** The labs of the pool, by the pool label on their records (test-side, independent of the code under test). */
function poolLabs(): string[] {
  const out = execFileSync('docker', ['volume', 'ls', '--filter', `label=dev.kindlab.pool=${POOL}`, '--format', '{{.Label "dev.kindlab.lab"}}'], {
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean).sort();
}

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Two single labs (workshop profile), made once; every check below uses them in order.
describe.skipIf(dockerSkipReason() !== undefined)('warm pool (lab pool fill, lab claim)', () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), `kindlab-e2e-${POOL}-`)), 'kubeconfig');
  let claimed: { lab: string; kubeconfig: string; context: string } | undefined;

  beforeAll(() => {
    for (const lab of poolLabs()) removeLabByLabel(lab);
  });

  afterAll(async () => {
    try {
      const drained = await runLab(['pool', 'drain', '--pool', POOL]);
      expect(drained.exitCode, drained.stderr).toBe(0);
      expect(poolLabs()).toEqual([]);
    } finally {
      for (const lab of poolLabs()) removeLabByLabel(lab);
    }
  });

  it('lab pool fill --size 2 single makes two suspended labs that use no CPU', { timeout: 20 * 60_000 }, async () => {
    const fill = await runLab(['pool', 'fill', '--size', '2', 'single', '--pool', POOL, '--kubeconfig', kubeconfig, '--json']);
    expect(fill.exitCode, fill.stderr).toBe(0);
    const result = JSON.parse(fill.stdout.trim().split('\n').at(-1)!) as { created: Array<{ name: string }> };
    expect(result.created.map((c) => c.name).sort()).toEqual(poolLabs());
    expect(poolLabs()).toHaveLength(2);
    for (const lab of poolLabs()) expect(await labState(lab)).toMatchObject({ state: 'suspended', pool: POOL });
    const containers = poolLabs().flatMap(labContainerNames);
    expect(containers).toHaveLength(2);
    expect(await cpuUsedOver(containers, 10_000)).toEqual(Object.fromEntries(containers.map((c) => [c, 0])));
  });

  it(
    'lab claim hands one lab to the participant: Ready, own kubeconfig (0600), status and verify by the participant name',
    { timeout: 15 * 60_000 },
    async () => {
      const claim = await runLab(['claim', PARTICIPANT, '--pool', POOL, '--json']);
      expect(claim.exitCode, claim.stderr).toBe(0);
      claimed = JSON.parse(claim.stdout) as typeof claimed;
      expect(poolLabs()).toContain(claimed!.lab);
      expect(statSync(claimed!.kubeconfig).mode & 0o777).toBe(0o600);
      expect(readFileSync(claimed!.kubeconfig, 'utf8')).toContain(`current-context: ${PARTICIPANT}`);
      expect(await labState(PARTICIPANT)).toMatchObject({ state: 'running', participant: PARTICIPANT, pool: POOL });
      // The other lab stays in the pool, frozen.
      const other = poolLabs().find((lab) => lab !== claimed!.lab)!;
      expect((await labState(other)).state).toBe('suspended');

      const verify = await runLab(['verify', PARTICIPANT]);
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);

      if (hasKubectl()) {
        const nodes = execFileSync('kubectl', ['--kubeconfig', claimed!.kubeconfig, 'get', 'nodes', '--no-headers'], { encoding: 'utf8' });
        expect(nodes).toMatch(/\sReady\s/);
      } else {
        const kube = connectHttpsKubeApi(readFileSync(claimed!.kubeconfig, 'utf8'));
        expect((await kube.listNodes()).length).toBe(1);
      }
    },
  );

  it('lab pool fill --running 1 thaws the suspended lab left; lab claim hands it over with no thaw, verify green', { timeout: 15 * 60_000 }, async () => {
    const other = poolLabs().find((lab) => lab !== claimed!.lab)!;
    const fill = await runLab(['pool', 'fill', '--size', '1', '--running', '1', 'single', '--pool', POOL, '--kubeconfig', kubeconfig, '--json']);
    expect(fill.exitCode, fill.stderr).toBe(0);
    expect(JSON.parse(fill.stdout.trim().split('\n').at(-1)!)).toMatchObject({ created: [], running: [other], thawed: [other] });
    expect(await labState(other)).toMatchObject({ state: 'running', pool: POOL });

    const claim = await runLab(['claim', SECOND_PARTICIPANT, '--pool', POOL, '--json']);
    expect(claim.exitCode, claim.stderr).toBe(0);
    expect(JSON.parse(claim.stdout)).toMatchObject({ lab: other, thawed: false });
    const verify = await runLab(['verify', SECOND_PARTICIPANT]);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });

  it('lab claim of the same participant hands back the same lab', { timeout: 10 * 60_000 }, async () => {
    const again = await runLab(['claim', PARTICIPANT, '--pool', POOL, '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ lab: claimed!.lab, again: true });
    expect(labResources(claimed!.lab).containers).toContain(`${claimed!.lab}-kindlab-participant`);
  });
});
