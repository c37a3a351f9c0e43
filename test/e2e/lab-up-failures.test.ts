import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { jsonLines, runLab, spawnLab } from './support/run-lab.js';
import { e2eLabName } from './support/watch-lab.js';
import { waitWhileRunning } from './support/wait-while-running.js';
import { doneIf } from '../../src/common/wait-until.js';

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
    await waitWhileRunning(
      up,
      async () => {
        const { containers } = labResources(name);
        return doneIf(containers.length > 0, containers.length ? containers.join(' ') : 'no container labelled with the lab yet');
      },
      { what: 'kind to create a node container', timeoutMs: 5 * 60_000, intervalMs: 500 },
    );
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
