import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdctlArgv, STACKED_ETCD_CONTAINER_ARGV } from '../../src/inspect/etcdctl-argv.js';
import { parseEndpointHealth, parseMemberList } from '../../src/inspect/parse-etcdctl-output.js';
import { LOAD_BALANCER_IMAGE, OFFLINE_NODE_IMAGE } from '../../src/image/image-refs.js';
import { startPrivateDockerDaemon, type PrivateDockerDaemon } from './support/private-docker-daemon.js';
import { runLab } from './support/run-lab.js';
import { e2eLabName } from './support/watch-lab.js';

// A second dockerd needs root (CI runs as root). The machine's daemon is never restarted: this test restarts its own.
// It was opt-in until 2026-12-01: verify failed (2 runs of 2) on "pod DNS on <lab>-worker" only, because the private
// daemon's FORWARD rule accepted its own address block and not pod-to-pod traffic across nodes (see forwardRules in
// support/private-docker-daemon.ts); the lab itself came back on the same addresses with 3 healthy etcd members.
const skip = process.getuid?.() !== 0 && process.env.CI !== 'true';

/**
 * kind#1689: after a daemon restart Docker hands out new addresses and an HA cluster's etcd members
 * keep each other's old peer URLs. A lab made by `lab up` keeps its addresses (pinned at creation),
 * so it comes back by itself; `lab start` then only waits until it is healthy again.
 */
describe.skipIf(skip)('an ha lab survives a restart of the Docker daemon (a private dockerd the test starts)', () => {
  let daemon: PrivateDockerDaemon | undefined;
  const name = e2eLabName('restart-ha');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), `kindlab-e2e-${name}-`)), 'kubeconfig');
  const lab = (args: string[]) => runLab(args, { env: daemon!.env });
  const docker = async (args: string[]) => (await execa('docker', args, { env: daemon!.env })).stdout;
  /** name -> [state, address now, address recorded by lab up]. */
  const containers = async () => {
    const ids = (await docker(['ps', '-aq', '--filter', `label=io.x-k8s.kind.cluster=${name}`])).split('\n').filter(Boolean);
    const format = '{{.Name}} {{.State.Status}} {{.NetworkSettings.Networks.kind.IPAddress}} {{index .Config.Labels "dev.kindlab.address"}}';
    const rows = (await docker(['container', 'inspect', '--format', format, ...ids])).split('\n').map((l) => l.split(' '));
    return Object.fromEntries(rows.map(([n = '', ...rest]) => [n.slice(1), rest]));
  };

  beforeAll(async () => {
    daemon = await startPrivateDockerDaemon({ name: 'restart', images: [OFFLINE_NODE_IMAGE, LOAD_BALANCER_IMAGE] });
  });

  afterAll(async () => {
    if (daemon) await lab(['down', name]);
    await daemon?.stop();
  });

  it('lab up ha, restart the daemon, lab start: same addresses, 3 etcd members started and healthy, lab verify passes', async () => {
    const up = await lab(['up', 'ha', '--name', name, '--kubeconfig', kubeconfig]);
    expect(up.exitCode, up.stderr).toBe(0);
    const before = await containers();
    expect(Object.keys(before)).toHaveLength(5);
    for (const [container, [state, ip, recorded]] of Object.entries(before)) expect([state, ip], container).toEqual(['running', recorded]);

    const t0 = Date.now();
    await daemon!.restart();
    const start = await lab(['start', name]);
    console.log(`daemon restart + lab start ${name}: ${((Date.now() - t0) / 1000).toFixed(0)}s, exit ${start.exitCode}`);
    expect(start.exitCode, `${start.stderr}\n${start.stdout}`).toBe(0);
    for (const [container, [state, ip, recorded]] of Object.entries(await containers())) {
      expect([state, ip], container).toEqual(['running', recorded]);
    }

    const node = `${name}-control-plane`;
    const id = (await docker(['exec', node, ...STACKED_ETCD_CONTAINER_ARGV])).trim().split('\n')[0] as string;
    const members = parseMemberList(await docker(['exec', node, ...etcdctlArgv({ stackedContainerId: id }, ['member', 'list', '-w', 'json'])]));
    expect(members.map((m) => m.name).sort()).toEqual([node, `${node}2`, `${node}3`]);
    for (const m of members) expect(m.peerURLs).toEqual([`https://${before[m.name]?.[2]}:2380`]);
    const health = parseEndpointHealth(
      await docker(['exec', node, ...etcdctlArgv({ stackedContainerId: id }, ['endpoint', 'health', '--cluster', '-w', 'json'])]),
    );
    expect(health.filter((e) => e.health)).toHaveLength(3);

    const verify = await lab(['verify', name]);
    expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  });
});
