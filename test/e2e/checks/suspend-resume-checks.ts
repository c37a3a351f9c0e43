import { describe, expect, it } from 'vitest';
import { labContainerNames, readCgroup } from '../../../bench/container-cgroup.js';
import { sleep } from '../../../src/common/sleep.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { runLab } from '../support/run-lab.js';

/** CPU time of each named container over `ms`: a frozen container's stays exactly where it was. */
export async function cpuUsedOver(containers: readonly string[], ms: number): Promise<Record<string, number>> {
  const before = containers.map((c) => readCgroup(c).cpuNs);
  await sleep(ms);
  return Object.fromEntries(containers.map((c, i) => [c, readCgroup(c).cpuNs - before[i]!]));
}

/** `lab status NAME --json`. */
export async function labState(name: string): Promise<{ state: string; participant?: string; pool?: string }> {
  const status = await runLab(['status', name, '--json']);
  expect(status.exitCode, status.stderr).toBe(0);
  return JSON.parse(status.stdout) as { state: string; participant?: string; pool?: string };
}

/**
 * `lab suspend` freezes every container of the lab (no CPU at all over 10 s, status `suspended`),
 * `lab resume` thaws it and returns once it is Ready, and `lab verify` passes on it right after.
 */
export function registerSuspendResumeChecks(lab: LiveLabAccessor): void {
  describe('lab suspend / lab resume', () => {
    it('suspend freezes every container: no CPU used over 10 s; resume brings it back and lab verify passes', { timeout: 15 * 60_000 }, async () => {
      const { name } = lab();
      const containers = labContainerNames(name);
      expect(containers.length).toBeGreaterThan(1);
      try {
        const suspended = await runLab(['suspend', name]);
        expect(suspended.exitCode, suspended.stderr).toBe(0);
        expect((await labState(name)).state).toBe('suspended');
        const used = await cpuUsedOver(containers, 10_000);
        expect(used).toEqual(Object.fromEntries(containers.map((c) => [c, 0])));
      } finally {
        // Always thawed: the checks after this one need the lab running.
        const resumed = await runLab(['resume', name, '--wait', '10m']);
        expect(resumed.exitCode, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
      }
      expect((await labState(name)).state).toBe('running');
      const verify = await runLab(['verify', name]);
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
    });
  });
}
