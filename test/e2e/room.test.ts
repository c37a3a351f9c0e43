import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, labResources, removeLabByLabel } from './support/lab-resources.js';
import { runLab } from './support/run-lab.js';
import { e2eLabName, homeEnv } from './support/watch-lab.js';

/*
 * A room: `lab up single --count 2 --prefix <room>` (two labs through the one creation path, at
 * most one per core at a time), each with its own kubeconfig file; `lab capacity` measured on them;
 * a room that cannot fit refused before anything is created; `lab down --prefix` removes exactly
 * the room's labs, found by label.
 */
describe.skipIf(dockerSkipReason() !== undefined)('lab up --count / lab capacity / lab down --prefix', () => {
  const room = e2eLabName('room');
  const labs = [`${room}-01`, `${room}-02`];
  // A lab whose name starts with the prefix but that the room did not create: down --prefix must keep it.
  const outsider = `${room}-99`;
  const outsiderVolume = `${outsider}-kindlab`;
  const tmp = mkdtempSync(join(tmpdir(), 'kindlab-e2e-room-'));
  const env = { ...homeEnv(join(tmp, 'home')), KUBECONFIG: join(tmp, 'kubeconfig') };
  const lab = (args: string[]) => runLab(args, { env });

  const cleanUp = () => {
    for (const name of [...labs, outsider]) removeLabByLabel(name);
  };
  beforeAll(cleanUp);
  afterAll(cleanUp);

  it('refuses --count 500 before creating anything: exit 2 naming --count, the hint says how many fit', async () => {
    const up = await lab(['up', 'single', '--count', '500', '--prefix', room]);
    expect(up.exitCode, up.stderr).toBe(2);
    expect(up.stderr).toMatch(/^error: --count 500 does not fit on this host: \d+ more single lab\(s\) fit, (memory|cpu|inotify|pids|disk) binds/m);
    expect(up.stderr).toMatch(/^hint: (use --count \d+|free \w+ first)/m);
    expect(labResources(`${room}-001`)).toEqual({ containers: [], volumes: [], networks: [] });
    expect(execFileSync('docker', ['volume', 'ls', '-q', '--filter', `label=dev.kindlab.room=${room}`], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('creates both labs Ready, each with its own 0600 kubeconfig that kubectl uses, and prints the summary', async () => {
    const up = await lab(['up', 'single', '--count', '2', '--prefix', room]);
    expect(up.exitCode, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^creating 2 single lab\\(s\\) for room ${room}, [12] at a time: at most one per core`, 'm'));
    expect(up.stdout).toMatch(/^NAME\s+TOPOLOGY\s+STATE\s+TIME\s+KUBECONFIG$/m);
    expect(up.stdout).toContain('2 of 2 labs ready');
    for (const name of labs) {
      const file = join(tmp, 'home', 'kubeconfigs', `${name}.kubeconfig`);
      expect(up.stdout).toMatch(new RegExp(`^${name}\\s+single\\s+ready\\s+\\d+s\\s+${file.replaceAll('.', '\\.')}$`, 'm'));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const nodes = execFileSync(
        'kubectl',
        ['--kubeconfig', file, 'get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'],
        {
          encoding: 'utf8',
          env: { ...process.env, KUBECONFIG: '' },
        },
      );
      expect(nodes.trim()).toBe(`${name}-control-plane=True`);
    }
  });

  it('shows each lab’s use in lab status and measures lab capacity single --profile workshop on both labs (the profile of --count)', async () => {
    const [status, capacity, otherProfile] = await Promise.all([
      lab(['status', labs[0] as string, '--json']),
      lab(['capacity', 'single', '--profile', 'workshop', '--json']),
      lab(['capacity', 'single', '--json']),
    ]);
    // Default-profile labs cost more CPU at idle: the room's workshop labs do not say what they cost.
    expect(otherProfile.exitCode, otherProfile.stderr).toBe(0);
    expect((JSON.parse(otherProfile.stdout) as { measuredOn: Array<{ lab: string }> }).measuredOn.map((m) => m.lab)).not.toContain(labs[0]);
    expect(status.exitCode, status.stderr).toBe(0);
    const use = (JSON.parse(status.stdout) as { use: { memoryBytes: number; cpuCores: number; pids: number } }).use;
    expect(capacity.exitCode, capacity.stderr).toBe(0);
    const result = JSON.parse(capacity.stdout) as {
      cost: { memoryBytes: number; cpuCores: number; pids: number; source: string };
      measuredOn: Array<{ lab: string; memoryBytes: number }>;
      fit: { fits: number; binding: string; resources: Array<{ resource: string; fits: number }> };
    };
    expect(result.measuredOn.map((m) => m.lab)).toEqual(expect.arrayContaining(labs));
    expect(result.cost.source).toMatch(/^measured now on /);
    // Sane against the node's own cgroup, read here with docker exec: same order of magnitude.
    const cgroupBytes = Number(
      execFileSync('docker', ['exec', `${labs[0]}-control-plane`, 'cat', '/sys/fs/cgroup/memory/memory.usage_in_bytes'], { encoding: 'utf8' }),
    );
    for (const measured of [use.memoryBytes, result.cost.memoryBytes]) {
      expect(measured).toBeGreaterThan(100 * 2 ** 20);
      expect(measured).toBeLessThanOrEqual(cgroupBytes * 1.5);
    }
    expect(use.pids).toBeGreaterThan(10);
    expect(use.cpuCores).toBeGreaterThanOrEqual(0);
    expect(result.fit.resources.map((r) => r.resource)).toEqual(['memory', 'cpu', 'inotify', 'pids', 'disk']);
    expect(result.fit.fits).toBe(Math.min(...result.fit.resources.map((r) => r.fits)));
  });

  it('lab down --prefix removes exactly the room’s labs (by label), not a lab that only shares the prefix', async () => {
    execFileSync('docker', ['volume', 'create', '--label', `dev.kindlab.lab=${outsider}`, '--label', 'dev.kindlab.component=metadata', outsiderVolume], {
      stdio: 'ignore',
    });
    const down = await lab(['down', '--prefix', room]);
    expect(down.exitCode, `${down.stdout}\n${down.stderr}`).toBe(0);
    for (const name of labs) {
      expect(down.stdout).toMatch(new RegExp(`^lab ${name} removed: `, 'm'));
      expect(labResources(name)).toEqual({ containers: [], volumes: [], networks: [] });
      expect(existsSync(join(tmp, 'home', 'kubeconfigs', `${name}.kubeconfig`))).toBe(false);
    }
    expect(down.stdout).not.toContain(outsider);
    expect(labResources(outsider).volumes).toEqual([outsiderVolume]);
  });
});
