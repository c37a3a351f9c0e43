import { readFileSync } from 'node:fs';
import type { V1NodeList } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { measureLabUseWithReads } from '../../../src/capacity/measure-lab-costs.js';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { getLabStatus } from '../../../src/cluster/lab-status.js';
import { readLabObjects } from '../../../src/cluster/read-lab-objects.js';
import { ExecaDockerCli } from '../../../src/docker/docker-cli.js';
import { CGROUP_V1_STATS_ARGV } from '../../../src/inspect/parse-cgroup-stats.js';
import { TEST_DOCKER_ENDPOINT } from '../support/fake-docker.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';

/** The ha lab these were recorded from, and what it answered (test/fixtures/lab-status/README.md). */
const LAB = 'sp2-status';
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/lab-status/${name}`, import.meta.url), 'utf8');
/** As a daemon on another host answers: its pids are not this host's (State.Pid cleared), so nothing is read on this host. */
const INSPECT = (JSON.parse(fixture(`inspect-${LAB}.json`)) as Array<{ Id: string; Name: string; State: { Pid: number } }>).map((c) => ({
  ...c,
  State: { ...c.State, Pid: 0 },
}));
const NODES = (JSON.parse(fixture(`nodes-${LAB}.json`)) as V1NodeList).items;

/** The docker CLI of the recording moment: listings, inspect, and the reads inside the nodes. */
function replay(): FakeRunner {
  return new FakeRunner(({ args }) => {
    if (args[0] === 'ps') return { stdout: fixture(`ps-labels-${LAB}.txt`) };
    if (args[0] === 'volume' && args[1] === 'ls') return { stdout: fixture(`volume-ls-labels-${LAB}.txt`) };
    if (args[0] === 'container' && args[1] === 'inspect') return { stdout: JSON.stringify(INSPECT.filter((c) => args.includes(c.Id))) };
    if (args[0] === 'exec' && args.at(-1) === '/etc/kubernetes/admin.conf') return { stdout: fixture(`admin-conf-${LAB}.yaml`) };
    if (args[0] === 'exec' && args.slice(2).join(' ') === CGROUP_V1_STATS_ARGV.join(' ')) {
      const name = INSPECT.find((c) => c.Id === args[1])?.Name.replace(/^\//, '');
      return { stdout: fixture(`cgroup-${name}.txt`) };
    }
    return { exitCode: 1, stderr: `not recorded: docker ${args.join(' ')}` };
  });
}

describe('lab status of a recorded ha lab, replayed', () => {
  it('shows what the previous implementation showed for it, from one listing of each kind, one inspect and the reads in the nodes', async () => {
    const runner = replay();
    const docker = new ExecaDockerCli(runner, TEST_DOCKER_ENDPOINT);
    const kubeconfigs: string[] = [];
    const deps: LabDeps = {
      runner,
      docker,
      kind: () => Promise.reject(new Error('lab status must not need kind')),
      kube: (text) => (kubeconfigs.push(text), new FakeKubeApi({ nodes: NODES })),
      now: () => new Date(),
    };
    const { lab, ...objects } = await readLabObjects(docker, LAB, { participants: true });
    const [status, measured] = await Promise.all([
      getLabStatus(deps, lab!, { objects }),
      // As a repeated status: every container's counter read a minute ago, so each is read once.
      measureLabUseWithReads(docker, [LAB], {
        intervalMs: 2000,
        containers: objects.containers,
        earlier: Object.fromEntries(INSPECT.map((c) => [c.Id, { cpuSeconds: 0, atMs: Date.now() - 60_000 }])),
      }),
    ]);

    // `lab status --json` of the commit before this change, right after the recording, without its use now.
    const { use: _use, ...before } = JSON.parse(fixture(`status-${LAB}-before.json`)) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(status))).toEqual(before);
    // The API is reached through the load balancer's published port with the control plane's admin.conf.
    const lb = objects.containers.find((c) => c.labels['io.x-k8s.kind.role'] === 'external-load-balancer');
    expect(kubeconfigs).toHaveLength(1);
    expect(kubeconfigs[0]).toContain(`"server": "https://${lb?.ports['6443/tcp']}"`);
    expect(measured.byLab.get(LAB)).toMatchObject({ nodes: 4, containers: 5 });

    // With the daemon on another host: one exec for admin.conf and one cat of the cgroup files per
    // running container; nothing listed twice.
    const runs = runner.calls.map((c) => (c.args[0] === 'exec' ? `exec ${c.args.at(-1)}` : c.args.slice(0, 2).join(' ')));
    expect(runs.filter((r) => !r.startsWith('exec')).sort()).toEqual(['container inspect', 'ps --all', 'volume ls']);
    expect(runs.filter((r) => r.startsWith('exec')).sort()).toEqual([
      'exec /etc/kubernetes/admin.conf',
      ...Array(5).fill('exec /sys/fs/cgroup/memory/memory.stat'),
    ]);
  });
});
