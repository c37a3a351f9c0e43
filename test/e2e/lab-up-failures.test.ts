import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { jsonLines, runLab, spawnLab } from './support/run-lab.js';
import { e2eLabName } from './support/watch-lab.js';

const NONE = { containers: [], volumes: [], networks: [] };

describe.skipIf(dockerSkipReason() !== undefined)('lab up failures leave nothing behind', () => {
  const name = e2eLabName('fail');
  beforeAll(() => removeLabByLabel(name));
  afterAll(() => removeLabByLabel(name));

  it.each([
    [['up', 'mesh', '--name', name], /unknown topology "mesh"/],
    [['up', 'ha', '--control-planes', '2', '--name', name], /odd number of control planes/],
    [['up', 'ha', '--control-planes', '4', '--name', name], /odd number of control planes/],
    [['up', 'multi', '--workers', '-1', '--name', name], /cannot be negative/],
    [['up', 'single', '--name', 'Not_Valid'], /invalid lab name/],
    [['up', 'single', '--name', name, '--port', '80'], /invalid --port/],
    [['up', 'single', '--name', name, '--etcd', 'embedded'], /invalid|etcd/],
  ])('lab %j exits 2 with one clear line and creates nothing', async (args, message) => {
    const run = await runLab(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(labResources(name)).toEqual(NONE);
    expect(labResources('Not_Valid')).toEqual(NONE);
  });

  it('SIGINT in the middle of kind create removes everything created so far and exits 130', async () => {
    const up = spawnLab(['up', 'multi', '--name', name, '--json']);
    // Wait until kind has started node containers: the worst moment to be interrupted.
    const deadline = Date.now() + 5 * 60_000;
    while (labResources(name).containers.length === 0) {
      if (Date.now() > deadline) throw new Error('kind never started a node container');
      await sleep(500);
    }
    // Meanwhile a second `lab up` of the same name is refused.
    const second = await runLab(['up', 'multi', '--name', name]);
    expect(second.exitCode).toBe(2);
    // Same KINDLAB_HOME: the lock file refuses it before it asks Docker.
    expect(second.stderr).toContain(`error: lab ${name} is busy: another kindlab process (pid ${up.pid}`);

    up.kill('SIGINT');
    const result = await up;
    expect(result.exitCode).toBe(130);
    const events = jsonLines(String(result.stdout));
    expect(events.find((e) => e.step === 'cleanup' && e.status === 'succeeded')).toBeDefined();
    expect(events.at(-1)).toMatchObject({ event: 'result', ok: false, exitCode: 130 });
    expect(labResources(name)).toEqual(NONE);
  });
});
