import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1NodeList, V1PodList } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimPoolLab } from '../../../src/cluster/claim-pool-lab.js';
import { fillPool } from '../../../src/cluster/fill-pool.js';
import type { LabDeps } from '../../../src/cluster/lab-deps.js';
import { labForName } from '../../../src/cluster/lab-for-name.js';
import { getLabStatus } from '../../../src/cluster/lab-status.js';
import { metadataLabels } from '../../../src/cluster/lab-metadata.js';
import { renameKubeconfig } from '../../../src/cluster/participant-kubeconfig.js';
import { listPoolLabs } from '../../../src/cluster/pool-labs.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeDocker } from '../support/fake-docker.js';
import { fakeKindCli } from '../support/fake-kind-cli.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { FakeRunner } from '../support/fake-runner.js';

const fixture = (path: string): string => readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
// A control plane's admin.conf, recorded from a real lab with its credentials redacted (test/fixtures/lab-status/README.md).
const ADMIN_CONF = fixture('lab-status/admin-conf-sp2-status.yaml');
// `kind get kubeconfig` of a real pool lab, credentials redacted (test/fixtures/kube-api/README.md).
const KIND_KUBECONFIG = fixture('kube-api/pool-lab-kubeconfig.yaml');
const readyNodes = (JSON.parse(fixture('kube-api/single-nodes.json')) as V1NodeList).items;
const pods = (JSON.parse(fixture('kube-api/single-kube-system-pods.json')) as V1PodList).items;

/** A pool lab as `lab pool fill` leaves it: record volume with the pool label, claim, node container frozen. */
function poolLab(docker: FakeDocker, name: string, createdAt: string): void {
  const spec = { ...buildTopologySpec({ kind: 'single', name, profile: 'workshop' }), pool: 'room' };
  docker.volumes.push({ name: `${name}-kindlab`, labels: metadataLabels(spec, { createdAt, kubeconfig: '/k', nodeImage: 'kindlab/node:v1.34.4' }), createdAt });
  docker.addContainer(`${name}-kindlab-claim`, { 'dev.kindlab.lab': name, 'dev.kindlab.component': 'claim' }, 'created');
  docker.addContainer(`${name}-control-plane`, { 'io.x-k8s.kind.cluster': name, 'io.x-k8s.kind.role': 'control-plane' }, 'paused');
  docker.containers.at(-1)!.ports = { '6443/tcp': '127.0.0.1:33547' };
  docker.execAnswer = (_container, command) => (command.join(' ').endsWith('cat /etc/kubernetes/admin.conf') ? { stdout: ADMIN_CONF } : { exitCode: 1 });
}

function deps(docker: FakeDocker): LabDeps {
  const kind = fakeKindCli();
  const kube = new FakeKubeApi({ nodes: readyNodes }).add('pod', 'kube-system', ...pods);
  return { runner: new FakeRunner(), docker, kind: async () => kind, kube: () => kube, now: () => new Date('2026-11-30T12:00:00Z') };
}

describe('lab claim', () => {
  let home: string | undefined;
  beforeEach(() => {
    home = process.env.KINDLAB_HOME;
    process.env.KINDLAB_HOME = mkdtempSync(join(tmpdir(), 'kindlab-claim-'));
  });
  afterEach(() => {
    if (home === undefined) delete process.env.KINDLAB_HOME;
    else process.env.KINDLAB_HOME = home;
  });

  it('hands the oldest free lab to the participant: record, resume, kubeconfig 0600 named after them', async () => {
    const docker = new FakeDocker();
    poolLab(docker, 'room-2', '2026-11-30T10:05:00Z');
    poolLab(docker, 'room-1', '2026-11-30T10:00:00Z');
    const result = await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000, settleMs: 0 });
    expect(result).toMatchObject({ participant: 'alice', lab: 'room-1', pool: 'room', context: 'alice', again: false });
    expect(docker.log).toEqual(['create room-1-kindlab-participant', 'unpause id-room-1-control-plane']);
    expect(statSync(result.kubeconfig).mode & 0o777).toBe(0o600);
    expect(statSync(join(process.env.KINDLAB_HOME!, 'kubeconfigs')).mode & 0o777).toBe(0o700);
    const written = load(readFileSync(result.kubeconfig, 'utf8')) as {
      'current-context': string;
      contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    };
    expect(written['current-context']).toBe('alice');
    // The lab's admin.conf, read from its node after the thaw (no kind run), pointed at the published API port.
    expect(readFileSync(result.kubeconfig, 'utf8')).toContain('server: https://127.0.0.1:33547');
    expect(written.contexts).toEqual([{ name: 'alice', context: { cluster: 'alice', user: 'alice' } }]);
    // Found by the participant name from now on; the status shows who has it.
    expect(await labForName(docker, 'alice')).toBe('room-1');
    expect(await getLabStatus(deps(docker), 'room-1', { withApi: false })).toMatchObject({ pool: 'room', participant: 'alice', state: 'degraded' });
    expect((await listPoolLabs(docker, 'room')).map((l) => [l.name, l.participant, l.suspended])).toEqual([
      ['room-1', 'alice', false],
      ['room-2', undefined, true],
    ]);
  });

  it('a claim that loses the race for a lab (Conflict on its record) takes the next one', async () => {
    const docker = new FakeDocker();
    poolLab(docker, 'room-1', '2026-11-30T10:00:00Z');
    poolLab(docker, 'room-2', '2026-11-30T10:05:00Z');
    // Another `lab claim` created room-1's record between our listing and our create.
    const list = docker.containersWithLabel.bind(docker);
    let raced = false;
    docker.containersWithLabel = async (key, value) => {
      const listed = await list(key, value);
      if (!raced && key === 'io.x-k8s.kind.cluster') {
        raced = true;
        docker.addContainer(
          'room-1-kindlab-participant',
          { 'dev.kindlab.lab': 'room-1', 'dev.kindlab.component': 'participant', 'dev.kindlab.participant': 'bob' },
          'created',
        );
      }
      return listed;
    };
    expect((await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000, settleMs: 0 })).lab).toBe('room-2');
  });

  it('claiming again for the same participant hands back the same lab; an empty pool is an error with the fill command', async () => {
    const docker = new FakeDocker();
    poolLab(docker, 'room-1', '2026-11-30T10:00:00Z');
    await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000, settleMs: 0 });
    expect(await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000, settleMs: 0 })).toMatchObject({ lab: 'room-1', again: true });
    await expect(claimPoolLab(deps(docker), 'bob', { pool: 'room', waitMs: 30_000, settleMs: 0 })).rejects.toMatchObject({
      message: 'pool room has no free lab for bob',
      hint: "add labs with `lab pool fill --size N --pool room` (see `lab list` for the pool's labs)",
    });
  });

  it('takes a lab kept running (lab pool fill --running) before an older suspended one, and thaws nothing', async () => {
    const docker = new FakeDocker();
    poolLab(docker, 'room-1', '2026-11-30T10:00:00Z');
    poolLab(docker, 'room-2', '2026-11-30T10:05:00Z');
    await docker.unpauseContainers(['id-room-2-control-plane']);
    docker.log.length = 0;
    // No settleMs given: a lab that was not frozen must not wait out the node-monitor settle time.
    const result = await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000 });
    expect(result).toMatchObject({ lab: 'room-2', thawed: false });
    expect(result.resumeMs).toBeLessThan(1000);
    expect(docker.log).toEqual(['create room-2-kindlab-participant']);
    // The next participant gets the suspended one, thawed.
    expect(await claimPoolLab(deps(docker), 'bob', { pool: 'room', waitMs: 30_000, settleMs: 0 })).toMatchObject({ lab: 'room-1', thawed: true });
  });

  it('refuses a participant name that is a lab name (exit 2)', async () => {
    const docker = new FakeDocker();
    poolLab(docker, 'room-1', '2026-11-30T10:00:00Z');
    await expect(claimPoolLab(deps(docker), 'room-1', { pool: 'room', waitMs: 30_000, settleMs: 0 })).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('lab pool fill --running', () => {
  const spec = { ...buildTopologySpec({ kind: 'single', name: 'room-1', profile: 'workshop' }), waitMs: 30_000 };
  const fill = (docker: FakeDocker, running: number) =>
    fillPool(deps(docker), spec, { pool: 'room', size: 3, running, settleMs: 0, create: { renderer: 'silent', signal: new AbortController().signal } });
  /** A pool of `count` suspended labs room-1, room-2, ... made 5 minutes apart, oldest first. */
  const poolOf = (count: number): FakeDocker => {
    const docker = new FakeDocker();
    for (let n = 1; n <= count; n++) poolLab(docker, `room-${n}`, new Date(Date.parse('2026-11-30T10:00:00Z') + (n - 1) * 300_000).toISOString());
    return docker;
  };
  const states = (docker: FakeDocker) => docker.containers.filter((c) => c.name.endsWith('-control-plane')).map((c) => `${c.name} ${c.state}`);

  it('thaws the oldest suspended unclaimed labs until that many run, leaving claimed ones alone', async () => {
    const docker = poolOf(4);
    await claimPoolLab(deps(docker), 'alice', { pool: 'room', waitMs: 30_000, settleMs: 0 });
    const result = await fill(docker, 2);
    expect(result).toMatchObject({
      kept: ['room-2', 'room-3', 'room-4'],
      created: [],
      running: ['room-2', 'room-3'],
      thawed: ['room-2', 'room-3'],
      frozen: [],
    });
    expect(states(docker)).toEqual([
      'room-1-control-plane running',
      'room-2-control-plane running',
      'room-3-control-plane running',
      'room-4-control-plane paused',
    ]);
  });

  it('freezes the newest running unclaimed labs when fewer should run (0: all suspended, as before --running)', async () => {
    const docker = poolOf(3);
    await docker.unpauseContainers(['id-room-1-control-plane', 'id-room-3-control-plane']);
    expect(await fill(docker, 1)).toMatchObject({ running: ['room-1'], thawed: [], frozen: ['room-3'] });
    expect(await fill(docker, 0)).toMatchObject({ running: [], thawed: [], frozen: ['room-1'] });
    expect(states(docker).every((line) => line.endsWith('paused'))).toBe(true);
  });
});

describe('renameKubeconfig', () => {
  it("names the cluster, user and context of kind's kubeconfig after the participant, and nothing else changes", () => {
    const renamed = load(renameKubeconfig(KIND_KUBECONFIG, 'alice')) as Record<string, unknown>;
    const original = load(KIND_KUBECONFIG) as { clusters: Array<{ cluster: unknown }>; users: Array<{ user: unknown }> };
    expect(renamed).toMatchObject({
      'current-context': 'alice',
      clusters: [{ name: 'alice', cluster: original.clusters[0]!.cluster }],
      users: [{ name: 'alice', user: original.users[0]!.user }],
    });
  });
});
