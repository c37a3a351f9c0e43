import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { runLab } from './support/run-lab.js';
import { e2eLabName, homeEnv, runResources, watchLab, type WatchedRun } from './support/watch-lab.js';

/*
 * Two `lab up` of one name on one Docker daemon, from two KINDLAB_HOMEs (two users or CI jobs: the
 * per-home lock file cannot see the other), started at the same moment. The claim container on the
 * daemon lets exactly one through.
 */
describe.skipIf(dockerSkipReason() !== undefined)('two lab up of one name from two homes at once', () => {
  const name = e2eLabName('race');
  const tmp = mkdtempSync(join(tmpdir(), 'kindlab-e2e-race-'));
  const homes = [join(tmp, 'home-a'), join(tmp, 'home-b')];
  const kubeconfigs = [join(tmp, 'kubeconfig-a'), join(tmp, 'kubeconfig-b')];
  let winner: { home: string; kubeconfig: string; runId: string } | undefined;

  beforeAll(() => removeLabByLabel(name));
  afterAll(async () => {
    if (winner) {
      const down = await runLab(['down', name], { env: homeEnv(winner.home) });
      expect(down.exitCode, down.stderr).toBe(0);
    }
    expect(labResources(name)).toEqual({ containers: [], volumes: [], networks: [] });
    removeLabByLabel(name);
  });

  const up = (i: number, extra: string[] = [], env: Record<string, string> = {}) =>
    watchLab(['up', 'single', '--name', name, '--kubeconfig', kubeconfigs[i] as string, '--json', ...extra], {
      env: { ...homeEnv(homes[i] as string), ...env },
    });

  const containerIds = (label: string) =>
    execFileSync('docker', ['ps', '-a', '--no-trunc', '--filter', `label=${label}=${name}`, '--format', '{{.ID}} {{.Names}} {{.State}}'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .sort();

  for (const round of [1, 2, 3]) {
    it(`round ${round}: exactly one succeeds, the other exits 2 "in use" having created nothing, the winner verifies`, async () => {
      if (winner) {
        const down = await runLab(['down', name], { env: homeEnv(winner.home) });
        expect(down.exitCode, down.stderr).toBe(0);
        winner = undefined;
      }
      const runs = await Promise.all([up(0), up(1)]);
      const describeRuns = runs.map((r, i) => `#${i} exit ${r.exitCode} in ${r.seconds}s: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`).join('\n');
      const won = runs.findIndex((r) => r.exitCode === 0);
      const lost = 1 - won;
      expect(won, describeRuns).toBeGreaterThanOrEqual(0);
      const result = (runs[won] as WatchedRun).events.at(-1) as { result: { runId: string } };
      winner = { home: homes[won] as string, kubeconfig: kubeconfigs[won] as string, runId: result.result.runId };
      const loser = runs[lost] as WatchedRun;
      expect(loser.exitCode, describeRuns).toBe(2);
      expect(loser.stderr).toMatch(new RegExp(`^error: lab ${name} is in use \\(by run [0-9a-f]{8} since \\S+\\)\\nhint: .*lab down ${name}`, 'm'));
      // The loser never cleaned up (it had nothing to clean) and wrote no context.
      expect(loser.events.some((e) => e.step === 'cleanup')).toBe(false);
      expect(existsSync(kubeconfigs[lost] as string) ? readFileSync(kubeconfigs[lost] as string, 'utf8') : '').not.toContain(`kind-${name}`);

      // Every resource of the lab is the winner's: the claim names the winner's run.
      const all = labResources(name);
      const winners = runResources(winner.runId);
      expect(winners.containers).toEqual(all.containers);
      expect(winners.volumes).toEqual(all.volumes);
      expect(loser.stderr).toContain(`by run ${winner.runId} since`);

      const verify = await runLab(['verify', name], { env: homeEnv(winner.home) });
      expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    });
  }

  /*
   * The claim stops a kindlab loser before it creates anything, so the late collision inside kind has
   * to come from a run that does not know the claim (an older kindlab, another tool). That is
   * KINDLAB_TEST_SKIP_CLAIM: the run skips the name check and claim, starts its external etcd (a
   * resource of its own, so its cleanup has something to remove), records itself on the existing
   * volume name (`docker volume create` of an existing name succeeds and changes nothing), and then
   * kind refuses inside `kind create` because the winner's nodes carry the cluster name. Cleaning up by
   * name there (as `kind delete cluster` or a label sweep by lab name would) deletes the winner.
   */
  it('a run that fails late inside kind removes only what carries its run id; the other lab survives and verifies', async () => {
    expect(winner, 'needs the winner of the rounds above').toBeDefined();
    const held = winner as NonNullable<typeof winner>;
    const other = held.home === homes[0] ? 1 : 0;
    const kindBefore = containerIds('io.x-k8s.kind.cluster');
    const volumesBefore = labResources(name).volumes;

    const late = await up(other, ['--etcd', 'external'], { KINDLAB_TEST_SKIP_CLAIM: '1' });
    const failed = late.events.find((e) => e.event === 'step' && e.status === 'failed');
    expect(late.exitCode, late.stderr).toBe(1);
    expect(failed, late.stderr).toMatchObject({
      step: 'kind-create',
      message: expect.stringContaining(`node(s) already exist for a cluster with the name "${name}"`),
    });
    const cleanup = late.events.find((e) => e.step === 'cleanup' && e.status === 'succeeded');
    expect(cleanup, late.stderr).toBeDefined();
    const removed = JSON.parse(String(cleanup?.message)) as { runId: string; containers: string[]; volumes: string[] };
    expect(removed.runId).toMatch(/^[0-9a-f]{8}$/);
    expect(removed.runId).not.toBe(held.runId);
    // Its own external etcd went; nothing of the winner did.
    expect(removed.containers).toEqual([`${name}-external-etcd`]);
    expect(runResources(removed.runId)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(containerIds('io.x-k8s.kind.cluster')).toEqual(kindBefore);
    expect(labResources(name).volumes).toEqual(volumesBefore);
    expect(readFileSync(held.kubeconfig, 'utf8')).toContain(`kind-${name}`);

    const verify = await runLab(['verify', name], { env: homeEnv(held.home) });
    expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  });
});
