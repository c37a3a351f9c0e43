import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { etcdctlArgv, STACKED_ETCD_CONTAINER_ARGV } from '../../../src/inspect/etcdctl-argv.js';
import { parseEndpointHealth, parseMemberList } from '../../../src/inspect/parse-etcdctl-output.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { runLab } from '../support/run-lab.js';

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}

/** Every container of the lab (kind's and kindlab's, not the never-started claim): name -> [state, address now, pinned address, recorded address]. */
function labContainers(lab: string): Map<string, [string, string, string, string]> {
  const ids = [
    ...new Set([
      ...docker(['ps', '-aq', '--no-trunc', '--filter', `label=io.x-k8s.kind.cluster=${lab}`]).split('\n'),
      ...docker(['ps', '-aq', '--no-trunc', '--filter', `label=dev.kindlab.lab=${lab}`]).split('\n'),
    ]),
  ].filter(Boolean);
  const format =
    '{{.Name}} {{.State.Status}} {{with index .NetworkSettings.Networks "kind"}}{{or .IPAddress "-"}} {{with .IPAMConfig}}{{or .IPv4Address "-"}}{{else}}-{{end}}{{else}}- -{{end}} {{or (index .Config.Labels "dev.kindlab.address") "-"}} {{index .Config.Labels "dev.kindlab.component"}}';
  const rows = docker(['container', 'inspect', '--format', format, ...ids])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .filter(([, , , , , component]) => component !== 'claim');
  return new Map(rows.map(([name = '', state = '', ip = '', pinned = '', recorded = '']) => [name.replace(/^\//, ''), [state, ip, pinned, recorded]]));
}

/**
 * `lab stop` then `lab start` on the file's lab, after its other checks: everything stops, status
 * and list say so, everything comes back on the address `lab up` recorded, every etcd member is
 * started and healthy again, and `lab verify` passes.
 */
export function registerStopStartChecks(lab: LiveLabAccessor, options: { env?: () => Record<string, string | undefined> } = {}): void {
  const cli = (args: string[]) => runLab(args, options.env ? { env: options.env() } : {});
  describe('lab stop / lab start', () => {
    it('lab stop stops every container of the lab; lab status and lab list say stopped', async () => {
      const { name } = lab();
      const before = labContainers(name);
      for (const [container, [state, ip, pinned, recorded]] of before) {
        expect(state, container).toBe('running');
        // Pinned at lab up, and the label records the same address.
        expect([ip, pinned], container).toEqual([recorded, recorded]);
      }
      const t0 = Date.now();
      const stop = await cli(['stop', name]);
      console.log(`lab stop ${name}: ${((Date.now() - t0) / 1000).toFixed(0)}s, exit ${stop.exitCode}`);
      expect(stop.exitCode, stop.stderr).toBe(0);
      expect(stop.stdout).toContain(`lab ${name} stopped: ${before.size} container(s)`);
      for (const [container, [state, , pinned, recorded]] of labContainers(name)) {
        expect(state, container).toBe('exited');
        expect(pinned, container).toBe(recorded);
      }
      const status = await cli(['status', name, '-o', 'json']);
      expect(status.exitCode, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as { state: string }).state).toBe('stopped');
      const list = await cli(['list', '-o', 'json']);
      expect(list.exitCode, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as Array<{ name: string; state: string }>).find((l) => l.name === name)?.state).toBe('stopped');
    });

    it('lab start brings every container back on its recorded address, all etcd members started and healthy, and lab verify passes', async () => {
      const { name, etcd, controlPlanes } = lab();
      const t0 = Date.now();
      const start = await cli(['start', name]);
      console.log(`lab start ${name}: ${((Date.now() - t0) / 1000).toFixed(0)}s, exit ${start.exitCode}`);
      expect(start.exitCode, `${start.stderr}\n${start.stdout}`).toBe(0);
      expect(start.stdout).toContain(`lab ${name} started and healthy`);
      for (const [container, [state, ip, , recorded]] of labContainers(name)) {
        expect(state, container).toBe('running');
        expect(ip, container).toBe(recorded);
      }
      if (etcd === 'external') {
        const out = docker(['exec', `${name}-external-etcd`, ...etcdctlArgv({ external: true }, ['endpoint', 'health', '-w', 'json'])]);
        expect(parseEndpointHealth(out).every((e) => e.health)).toBe(true);
      } else {
        const node = `${name}-control-plane`;
        const id = docker(['exec', node, ...STACKED_ETCD_CONTAINER_ARGV])
          .trim()
          .split('\n')[0] as string;
        const members = parseMemberList(docker(['exec', node, ...etcdctlArgv({ stackedContainerId: id }, ['member', 'list', '-w', 'json'])]));
        // Started members have a name (an unstarted one has none); each peer URL is its node's pinned address.
        expect(members.map((m) => m.name).filter(Boolean)).toHaveLength(controlPlanes);
        const addresses = labContainers(name);
        for (const m of members) expect(m.peerURLs).toEqual([`https://${addresses.get(m.name)?.[3]}:2380`]);
        const health = parseEndpointHealth(
          docker(['exec', node, ...etcdctlArgv({ stackedContainerId: id }, ['endpoint', 'health', '--cluster', '-w', 'json'])]),
        );
        expect(health.filter((e) => e.health)).toHaveLength(controlPlanes);
      }
      const status = await cli(['status', name, '-o', 'json']);
      expect((JSON.parse(status.stdout) as { state: string }).state).toBe('running');
      const verify = await cli(['verify', name]);
      expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    });
  });
}
