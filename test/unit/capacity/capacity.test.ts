import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCgroupV1Stats } from '../../../src/inspect/parse-cgroup-stats.js';
import { describe, expect, it } from 'vitest';
import { checkRoomFits } from '../../../src/capacity/check-room-fits.js';
import { fitLabs } from '../../../src/capacity/fit-labs.js';
import { formatCapacity } from '../../../src/capacity/format-capacity.js';
import { readHostResources, type HostResources } from '../../../src/capacity/host-resources.js';
import { costOf, labCapacity } from '../../../src/capacity/lab-capacity.js';
import { EARLIER_MAX_AGE_MS, measureLabUse, measureLabUseWithReads } from '../../../src/capacity/measure-lab-costs.js';
import { CpuCounterStore } from '../../../src/capacity/cpu-counter-store.js';
import { loadRecordedLabCosts, recordedLabCost } from '../../../src/capacity/recorded-lab-costs.js';
import type { ContainerInfo } from '../../../src/docker/docker-cli.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { FakeFilesystem } from '../host/fakes.js';
import { FakeDocker } from '../support/fake-docker.js';
import { usageErrorOf } from '../support/usage-error-of.js';

/** Recorded from hr-m1 and the session host: see test/fixtures/capacity/README.md. */
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'capacity');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
/** The two cgroup reads were 10.15 s apart (date +%s.%N around each). */
const INTERVAL_MS = 10_150;

function hostFs(): FakeFilesystem {
  const fs = new FakeFilesystem({
    '/proc/meminfo': fixture('host-proc-meminfo.txt'),
    '/proc/loadavg': fixture('host-proc-loadavg.txt'),
    '/proc/sys/kernel/pid_max': fixture('host-proc-sys-kernel-pid_max.txt'),
    '/proc/sys/kernel/threads-max': fixture('host-proc-sys-kernel-threads-max.txt'),
    '/proc/sys/fs/inotify/max_user_instances': fixture('host-proc-sys-fs-inotify-max_user_instances.txt'),
    '/proc/sys/fs/inotify/max_user_watches': fixture('host-proc-sys-fs-inotify-max_user_watches.txt'),
  });
  fs.free = Number(fixture('host-df-avail-var-lib-docker.txt'));
  return fs;
}

function node(lab: string, id: string): ContainerInfo {
  return {
    id,
    name: `${lab}-control-plane`,
    labels: { 'io.x-k8s.kind.cluster': lab, 'io.x-k8s.kind.role': 'control-plane' },
    state: 'running',
    status: 'Up 4 minutes',
    image: 'kindlab/node:v1.34.4',
    ports: {},
    networks: {},
    createdAt: '2026-11-30T11:36:00Z',
  };
}

/** A daemon with hr-m1 on it: its node answers the cgroup cat with the first read, then the second. */
function dockerWithLab(): FakeDocker {
  const docker = new FakeDocker();
  docker.containers = [node('hr-m1', 'c1')];
  docker.volumes = [
    {
      name: 'hr-m1-kindlab',
      createdAt: '2026-11-30T11:36:00Z',
      labels: {
        'dev.kindlab.lab': 'hr-m1',
        'dev.kindlab.component': 'metadata',
        'dev.kindlab.topology': 'single',
        'dev.kindlab.etcd': 'stacked',
        'dev.kindlab.spec': '{"controlPlanes":1,"workers":0,"ports":[]}',
      },
    },
  ];
  const reads = [fixture('single-cgroup-t0.txt'), fixture('single-cgroup-t10.txt')];
  let n = 0;
  docker.execAnswer = () => ({ stdout: reads[Math.min(n++, 1)] });
  return docker;
}

function dockerWithLabelledProfile(profile: string): FakeDocker {
  const docker = dockerWithLab();
  docker.volumes[0]!.labels['dev.kindlab.profile'] = profile;
  return docker;
}

const noWait = async () => undefined;

describe('measureLabUse', () => {
  it("reads a lab's memory, pids and CPU over the interval from its node's own cgroup", async () => {
    const use = (await measureLabUse(dockerWithLab(), ['hr-m1'], { intervalMs: INTERVAL_MS, sleep: noWait })).get('hr-m1');
    // memory.usage_in_bytes 1109454848 - total_inactive_file, as docker stats counts it.
    expect(use).toMatchObject({ lab: 'hr-m1', containers: 1, nodes: 1, memoryBytes: 490651648, pids: 248, intervalMs: INTERVAL_MS });
    // cpuacct.usage 54416967335 -> 55976538280 ns over 10.15 s.
    expect(use?.cpuCores).toBeCloseTo(1.559570945 / 10.15, 6);
  });

  it('falls back to docker stats for a container it cannot cat (distroless etcd), and leaves out labs with nothing running', async () => {
    const docker = dockerWithLab();
    docker.containers.push({ ...node('hr-m1', 'e1'), name: 'hr-m1-external-etcd', labels: { 'dev.kindlab.lab': 'hr-m1', 'dev.kindlab.component': 'etcd' } });
    const cat = docker.execAnswer;
    docker.execAnswer = (container, argv) => (container === 'e1' ? { exitCode: 126, stdout: '' } : cat(container, argv));
    docker.statsAnswer = () => ({ memoryBytes: 50 * 2 ** 20, memoryLimitBytes: 0, cpuPercent: 2, pids: 12 });
    const measured = await measureLabUse(docker, ['hr-m1', 'gone'], { intervalMs: INTERVAL_MS, sleep: noWait });
    expect([...measured.keys()]).toEqual(['hr-m1']);
    expect(measured.get('hr-m1')).toMatchObject({ containers: 2, nodes: 1, memoryBytes: 490651648 + 50 * 2 ** 20, pids: 260 });
    expect(measured.get('hr-m1')?.cpuCores).toBeCloseTo(1.559570945 / 10.15 + 0.02, 6);
  });

  it('waits out no interval when nothing runs (a status of a stopped lab)', async () => {
    const docker = dockerWithLab();
    docker.containers[0]!.state = 'exited';
    const sleeps: number[] = [];
    const measured = await measureLabUseWithReads(docker, ['hr-m1'], { intervalMs: INTERVAL_MS, sleep: async (ms) => void sleeps.push(ms) });
    expect(sleeps).toEqual([]);
    expect(measured.byLab.size).toBe(0);
  });

  it('lists nothing itself when given the containers already read, and measures the same', async () => {
    const listed = await measureLabUse(dockerWithLab(), ['hr-m1'], { intervalMs: INTERVAL_MS, sleep: noWait });
    const docker = dockerWithLab();
    const containers = [...docker.containers, { ...node('other', 'o1') }];
    docker.containersWithLabel = () => Promise.reject(new Error('listed again'));
    const given = await measureLabUse(docker, ['hr-m1'], { intervalMs: INTERVAL_MS, sleep: noWait, containers });
    expect(given).toEqual(listed);
  });
});

describe('measureLabUseWithReads (lab status keeps the counters between runs)', () => {
  // cpuacct.usage of the t0 and t10 recordings, in seconds.
  const T0_CPU = 54.416967335;
  const T10_CPU = 55.97653828;

  it('measures CPU since an earlier read of every container without a second read', async () => {
    const sleeps: number[] = [];
    const docker = dockerWithLab();
    const nowMs = 1_000_000;
    const measured = await measureLabUseWithReads(docker, ['hr-m1'], {
      intervalMs: 2000,
      sleep: async (ms) => void sleeps.push(ms),
      now: () => nowMs,
      earlier: { c1: { cpuSeconds: T0_CPU - 6, atMs: nowMs - 60_000 } },
    });
    expect(sleeps).toEqual([]);
    // The only read is the t0 recording: 6 s of CPU time over the 60 s since the earlier read.
    expect(measured.byLab.get('hr-m1')).toMatchObject({ memoryBytes: parseCgroupV1Stats(fixture('single-cgroup-t0.txt'))!.memoryBytes, intervalMs: 60_000 });
    expect(measured.byLab.get('hr-m1')?.cpuCores).toBeCloseTo(6 / 60, 6);
    expect(measured.reads).toEqual({ c1: { cpuSeconds: T0_CPU, atMs: nowMs } });
  });

  it.each([
    ['younger than the interval', 500],
    ['older than EARLIER_MAX_AGE_MS', EARLIER_MAX_AGE_MS + 1],
  ])('samples over the interval when the earlier read is %s', async (_why, ageMs) => {
    const sleeps: number[] = [];
    let nowMs = 1_000_000;
    const measured = await measureLabUseWithReads(dockerWithLab(), ['hr-m1'], {
      intervalMs: INTERVAL_MS,
      sleep: async (ms) => {
        sleeps.push(ms);
        nowMs += ms;
      },
      now: () => nowMs,
      earlier: { c1: { cpuSeconds: 1, atMs: nowMs - ageMs } },
    });
    expect(sleeps).toEqual([INTERVAL_MS]);
    expect(measured.byLab.get('hr-m1')?.cpuCores).toBeCloseTo((T10_CPU - T0_CPU) / 10.15, 6);
    expect(measured.reads.c1).toEqual({ cpuSeconds: T10_CPU, atMs: 1_000_000 + INTERVAL_MS });
  });
});

describe('CpuCounterStore', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'kindlab-cpu-counters-'));

  it('offers per container the youngest read old enough to use, in a 0600 file', () => {
    const home = dir();
    const store = CpuCounterStore.inHome(home);
    expect(store.earliest(0, 2000)).toEqual({});
    // Statuses 0.5 s apart: each one's read is kept until a later one can use it.
    for (const atMs of [0, 500, 1000, 1500]) store.save({ a: { cpuSeconds: atMs / 1000, atMs } }, atMs, 2000);
    expect(store.earliest(1500, 2000)).toEqual({});
    expect(store.earliest(2600, 2000)).toEqual({ a: { cpuSeconds: 0.5, atMs: 500 } });
    expect(store.earliest(EARLIER_MAX_AGE_MS + 1501, 2000)).toEqual({});
    expect(statSync(join(home, 'cpu-counters.json')).mode & 0o777).toBe(0o600);
  });

  it('drops reads past EARLIER_MAX_AGE_MS and keeps other containers’ reads', () => {
    const store = CpuCounterStore.inHome(dir());
    store.save({ a: { cpuSeconds: 1, atMs: 0 }, b: { cpuSeconds: 2, atMs: 0 } }, 0, 2000);
    store.save({ b: { cpuSeconds: 3, atMs: EARLIER_MAX_AGE_MS + 10 } }, EARLIER_MAX_AGE_MS + 10, 2000);
    expect(store.earliest(EARLIER_MAX_AGE_MS + 3000, 2000)).toEqual({ b: { cpuSeconds: 3, atMs: EARLIER_MAX_AGE_MS + 10 } });
    store.save({ c: { cpuSeconds: 1, atMs: 100 } }, 100, 2000);
    expect(store.earliest(3000, 2000)).toEqual({ c: { cpuSeconds: 1, atMs: 100 } });
  });

  it('keeps no reads, without failing, where the home cannot be written', () => {
    const home = join(dir(), 'home');
    writeFileSync(home, 'a file where the home directory should be');
    const store = CpuCounterStore.inHome(home);
    expect(() => store.save({ a: { cpuSeconds: 1, atMs: 0 } }, 0, 2000)).not.toThrow();
    expect(store.earliest(5000, 2000)).toEqual({});
  });

  it('takes a bad file for no reads', () => {
    const home = dir();
    const store = CpuCounterStore.inHome(home);
    writeFileSync(join(home, 'cpu-counters.json'), '{"a": [{"cpuSeconds": "x"}]}');
    expect(store.earliest(5000, 2000)).toEqual({});
    writeFileSync(join(home, 'cpu-counters.json'), 'not json');
    expect(store.earliest(5000, 2000)).toEqual({});
  });
});

describe('capacity', () => {
  it('the recorded costs match their schema; single is the hr-m1 measurement, the others say they are scaled', () => {
    const recorded = loadRecordedLabCosts();
    expect(recorded.topologies.single).toMatchObject({ memoryBytes: 490651648, pids: 248, source: 'measured' });
    expect(recorded.topologies.multi.source).toMatch(/^not measured: 3 x single/);
    expect(recordedLabCost('single').source).toMatch(/^templates\/capacity\/lab-costs\.json \(measured, 2026-11-30, 2 cores, 24 GiB/);
  });

  it("a profile's recorded row replaces memory, CPU and pids of its topology and keeps disk and inotify; a topology without one keeps its own", () => {
    const recorded = loadRecordedLabCosts();
    const workshop = recorded.profiles?.workshop?.single;
    expect(workshop, 'templates/capacity/lab-costs.json has profiles.workshop.single').toBeDefined();
    const cost = recordedLabCost('single', 'workshop');
    expect(cost).toMatchObject({
      memoryBytes: workshop?.memoryBytes,
      cpuCores: workshop?.cpuCores,
      pids: workshop?.pids,
      diskBytes: recorded.topologies.single.diskBytes,
      inotifyInstances: recorded.topologies.single.inotifyInstances,
    });
    expect(cost.cpuCores).toBeLessThan(recorded.topologies.single.cpuCores);
    expect(cost.source).toMatch(/^templates\/capacity\/lab-costs\.json \(profile workshop: /);
    expect(recordedLabCost('single', 'default')).toEqual(recordedLabCost('single'));
    const noRow = { ...recorded, profiles: {} };
    expect(recordedLabCost('single', 'workshop', noRow)).toEqual(recordedLabCost('single', undefined, noRow));
  });

  it('a running default lab does not say what a workshop lab costs: the workshop shape takes its recorded row', async () => {
    const docker = dockerWithLab();
    const workshop = await labCapacity({ docker, fs: hostFs(), cores: 2 }, buildTopologySpec({ kind: 'single', profile: 'workshop' }), {
      intervalMs: INTERVAL_MS,
      sleep: noWait,
    });
    expect(workshop.measuredOn).toEqual([]);
    expect(workshop.cost).toEqual(recordedLabCost('single', 'workshop'));
    expect(formatCapacity(workshop)).toMatch(/^\d+ more single lab\(s\) \(profile workshop\) fit on this host; /);
    // The same lab labelled as a workshop lab is measured for the workshop shape, and no longer for the default one.
    docker.volumes[0]!.labels['dev.kindlab.profile'] = 'workshop';
    const measured = await labCapacity({ docker, fs: hostFs(), cores: 2 }, buildTopologySpec({ kind: 'single', profile: 'workshop' }), {
      intervalMs: INTERVAL_MS,
      sleep: noWait,
    });
    expect(measured.measuredOn.map((m) => m.lab)).toEqual(['hr-m1']);
    const other = await labCapacity({ docker: dockerWithLabelledProfile('workshop'), fs: hostFs(), cores: 2 }, buildTopologySpec({ kind: 'single' }), {
      intervalMs: INTERVAL_MS,
      sleep: noWait,
    });
    expect(other.measuredOn).toEqual([]);
  });

  it('reads the host from /proc and the Docker root (recorded on the session host)', async () => {
    const host = await readHostResources(hostFs(), '/var/lib/docker', 2);
    expect(host).toEqual({
      cores: 2,
      memoryAvailableBytes: Number(/MemAvailable:\s+(\d+)/.exec(fixture('host-proc-meminfo.txt'))?.[1]) * 1024,
      memoryTotalBytes: Number(/MemTotal:\s+(\d+)/.exec(fixture('host-proc-meminfo.txt'))?.[1]) * 1024,
      inotifyMaxUserInstances: 512,
      pidLimit: 32768,
      pidsInUse: 1439,
      dockerRootDir: '/var/lib/docker',
      diskFreeBytes: 63413284864,
    });
  });

  it('counts how many more labs fit per resource; the smallest binds (cpu on 2 cores)', async () => {
    const host = await readHostResources(hostFs(), '/var/lib/docker', 2);
    const cost = recordedLabCost('single');
    const fit = fitLabs(host, cost, { cpuCores: 0.154, nodes: 1 });
    const byResource = Object.fromEntries(fit.resources.map((r) => [r.resource, r.fits]));
    expect(byResource.cpu).toBe(Math.floor((1.6 - 0.154) / 0.154)); // 9
    expect(byResource.inotify).toBe(Math.floor((512 - 26) / 26)); // 18
    expect(byResource.pids).toBe(Math.floor((Math.floor(32768 * 0.9) - 1439) / 248)); // 113
    expect(byResource.disk).toBe(Math.floor((63413284864 - 1024 ** 3) / 954260061)); // 65
    expect(byResource.memory).toBe(Math.floor((host.memoryAvailableBytes - 1024 ** 3) / 490651648));
    expect(fit).toMatchObject({ fits: 9, binding: 'cpu' });
  });

  it('binds on memory when labs are heavy, and never goes below zero', async () => {
    const host: HostResources = { ...(await readHostResources(hostFs(), '/var/lib/docker', 64)), memoryAvailableBytes: 3 * 1024 ** 3 };
    const fit = fitLabs(host, recordedLabCost('ha'), { cpuCores: 0, nodes: 0 });
    expect(fit).toMatchObject({ fits: 1, binding: 'memory' });
    expect(fitLabs({ ...host, memoryAvailableBytes: 0 }, recordedLabCost('ha'), { cpuCores: 0, nodes: 0 }).fits).toBe(0);
  });

  it('measures the cost on the running labs of the same shape; other shapes use the recorded cost scaled to their nodes', async () => {
    const docker = dockerWithLab();
    const single = await labCapacity({ docker, fs: hostFs(), cores: 2 }, buildTopologySpec({ kind: 'single' }), { intervalMs: INTERVAL_MS, sleep: noWait });
    expect(single.measuredOn.map((m) => m.lab)).toEqual(['hr-m1']);
    expect(single.cost.source).toMatch(/^measured now on hr-m1 \(disk and inotify: templates\/capacity\/lab-costs\.json/);
    expect(single.fit.fits).toBe(9);
    const multi = costOf(buildTopologySpec({ kind: 'multi', workers: 5 }), []);
    expect(multi).toMatchObject({ nodes: 6, memoryBytes: 490651648 * 6, pids: 248 * 6 });
    expect(multi.source).toMatch(/, scaled to 6 node\(s\)$/);
    const text = formatCapacity(single);
    expect(text).toMatch(
      /^9 more single lab\(s\) fit on this host; cpu binds: 80 % of 2 core\(s\) for idle labs = 1\.60, running labs use 0\.15, 0\.15 per lab$/m,
    );
    expect(text).toMatch(/^RESOURCE {3}MORE LABS {3}HOW$/m);
    expect(text).toMatch(/^hr-m1 {9}467\.9MiB {3}0\.15 {3}248$/m);
  });

  it('lab up --count refuses a room that does not fit: exit 2 naming the flag, the hint says how many fit', async () => {
    const capacity = await labCapacity({ docker: dockerWithLab(), fs: hostFs(), cores: 2 }, buildTopologySpec({ kind: 'single' }), {
      intervalMs: INTERVAL_MS,
      sleep: noWait,
    });
    expect(() => checkRoomFits(capacity, 9)).not.toThrow();
    const error = usageErrorOf(() => checkRoomFits(capacity, 500));
    expect(error.message).toMatch(/^--count 500 does not fit on this host: 9 more single lab\(s\) fit, cpu binds \(80 % of 2 core/);
    expect(error.hint).toBe('use --count 9, or free cpu; `lab capacity single` shows every limit');
    expect(usageErrorOf(() => checkRoomFits({ ...capacity, fit: { ...capacity.fit, fits: 0 } }, 3, '--participants')).hint).toBe(
      'free cpu first; `lab capacity single` shows every limit',
    );
  });
});
