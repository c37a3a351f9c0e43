import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../src/common/child-process-command-runner.js';
import { kindlabBinDir, kindlabHome, projectRoot } from '../../src/common/paths.js';
import { LOAD_BALANCER_IMAGE, OFFLINE_NODE_IMAGE } from '../../src/image/image-refs.js';
import { doneIf, doneWith, notYet, waitUntil, type WaitCheckResult } from '../../src/common/wait-until.js';
import { dockerSkipReason, removeLabByLabel } from './support/lab-resources.js';
import { e2eLabName } from './support/watch-lab.js';

/**
 * The offline images with plain kind v0.30.0 and no kindlab code in between:
 * `kind create cluster --image kindlab/node:v1.34.4 --config test/fixtures/kind-<topology>.yaml`.
 */
const runner = new ChildProcessCommandRunner();
const root = projectRoot();

function kindBinary(): string {
  if (process.env.KIND) return process.env.KIND;
  const local = join(kindlabBinDir(), 'kind');
  return existsSync(local) ? local : 'kind';
}

async function run(command: string, args: string[], input?: string): Promise<string> {
  return (await runner.run(command, args, { input, timeoutMs: 10 * 60_000 })).stdout;
}

/** Polls every 2 s until `check` is done; on timeout the error names what and the last state seen. */
function waitFor<T>(what: string, check: () => Promise<WaitCheckResult<T>>, timeoutMs = 5 * 60_000): Promise<T> {
  return waitUntil(check, { what, timeoutMs, intervalMs: 2000 });
}

interface PodList {
  items: Array<{
    metadata: { name: string };
    status: { phase: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}

function podReady(pod: PodList['items'][number]): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

async function nodesByRole(cluster: string): Promise<{ controlPlanes: string[]; workers: string[]; loadBalancers: string[] }> {
  const names = async (role: string) =>
    (
      await run('docker', [
        'ps',
        '--filter',
        `label=io.x-k8s.kind.cluster=${cluster}`,
        '--filter',
        `label=io.x-k8s.kind.role=${role}`,
        '--format',
        '{{.Names}}',
      ])
    )
      .split('\n')
      .filter(Boolean)
      .sort();
  return { controlPlanes: await names('control-plane'), workers: await names('worker'), loadBalancers: await names('external-load-balancer') };
}

/** kubectl inside the first control plane (kind sets KUBECONFIG there; in HA it goes through the load balancer). */
function kubectl(node: string, args: string[], input?: string): Promise<string> {
  return run('docker', ['exec', ...(input === undefined ? [] : ['-i']), node, 'kubectl', ...args], input);
}

interface NodeList {
  items: Array<{ status: { conditions: Array<{ type: string; status: string }>; nodeInfo: { kubeletVersion: string } } }>;
}

const TOPOLOGIES = [
  { topology: 'single', controlPlanes: 1, workers: 0 },
  { topology: 'multi', controlPlanes: 1, workers: 2 },
  { topology: 'ha', controlPlanes: 3, workers: 1 },
] as const;

describe.skipIf(dockerSkipReason() !== undefined)('offline images with plain kind', () => {
  beforeAll(async () => {
    // Cached by recipe hash: a no-op when the images are current.
    await run('node', [join(root, 'dist/bin/main.js'), 'image', 'build']);
  }, 120 * 60_000);

  for (const spec of TOPOLOGIES) {
    describe(`${spec.topology} (${spec.controlPlanes} control plane(s) + ${spec.workers} worker(s))`, () => {
      // Prefixed like every e2e lab (KINDLAB_E2E_PREFIX): two runs on one Docker daemon do not remove each other's clusters.
      const cluster = e2eLabName(`img-${spec.topology}`);
      let nodes: Awaited<ReturnType<typeof nodesByRole>>;
      let cp = '';

      beforeAll(async () => {
        removeLabByLabel(cluster);
        const started = Date.now();
        await run(kindBinary(), [
          'create',
          'cluster',
          '--name',
          cluster,
          '--image',
          OFFLINE_NODE_IMAGE,
          '--config',
          join(root, `test/fixtures/kind-${spec.topology}.yaml`),
          '--wait',
          '5m',
        ]);
        nodes = await nodesByRole(cluster);
        cp = nodes.controlPlanes[0] ?? '';
        // kind's --wait covers the control planes only; workers join a little later.
        await waitFor(
          'every node Ready',
          async () => {
            const list = JSON.parse(await kubectl(cp, ['get', 'nodes', '-o', 'json'])) as NodeList;
            const ready = list.items.filter((n) => n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
            const expected = spec.controlPlanes + spec.workers;
            return doneIf(
              list.items.length === expected && ready.length === expected,
              `${ready.length} Ready of ${list.items.length} node(s), ${expected} expected`,
            );
          },
          5 * 60_000,
        );
        const readySeconds = (Date.now() - started) / 1000;
        // Recorded for the bench, never asserted.
        await mkdir(join(kindlabHome(), 'image-build'), { recursive: true });
        await writeFile(
          join(kindlabHome(), 'image-build', `e2e-ready-${spec.topology}.json`),
          JSON.stringify({ topology: spec.topology, readySeconds }, null, 2),
        );
      }, 20 * 60_000);

      afterAll(async () => {
        await runner.run(kindBinary(), ['delete', 'cluster', '--name', cluster], { allowFailure: true });
        removeLabByLabel(cluster);
      });

      it('runs the expected nodes, all Ready', async () => {
        expect(nodes.controlPlanes).toHaveLength(spec.controlPlanes);
        expect(nodes.workers).toHaveLength(spec.workers);
        const list = JSON.parse(await kubectl(cp, ['get', 'nodes', '-o', 'json'])) as NodeList;
        expect(list.items).toHaveLength(spec.controlPlanes + spec.workers);
        for (const node of list.items) {
          expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
          expect(node.status.nodeInfo.kubeletVersion).toBe('v1.34.4');
        }
      });

      it('gets every kube-system pod Running', async () => {
        // Running and Ready: the DNS check below needs CoreDNS answering, which Running alone does not say.
        const pods = await waitFor('kube-system pods Running and Ready', async () => {
          const list = JSON.parse(await kubectl(cp, ['get', 'pods', '-n', 'kube-system', '-o', 'json'])) as PodList;
          const pending = list.items.filter((p) => p.status.phase !== 'Running' || !podReady(p));
          const state = `${list.items.length - pending.length}/${list.items.length} Running and Ready; not yet: ${pending.map((p) => `${p.metadata.name} ${p.status.phase}${podReady(p) ? '' : ' not Ready'}`).join(', ') || 'none'}`;
          return list.items.length > 0 && pending.length === 0 ? doneWith(list.items, state) : notYet(state);
        });
        const names = pods.map((p) => p.metadata.name).join(' ');
        for (const prefix of ['etcd-', 'kube-apiserver-', 'kube-controller-manager-', 'kube-scheduler-', 'kube-proxy-', 'coredns-', 'kube-flannel-']) {
          expect(names).toContain(prefix);
        }
      });

      it('resolves kubernetes.default from a pod', async () => {
        // The pod asks the kube-dns Service: it answers once a CoreDNS endpoint behind it is ready (not just Running).
        await waitFor('a ready endpoint behind the kube-dns Service', async () => {
          const slices = JSON.parse(
            await kubectl(cp, ['get', 'endpointslices', '-n', 'kube-system', '-l', 'kubernetes.io/service-name=kube-dns', '-o', 'json']),
          ) as { items: Array<{ endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> }> };
          const endpoints = slices.items.flatMap((s) => s.endpoints ?? []);
          const ready = endpoints.filter((e) => e.conditions?.ready === true);
          return doneIf(ready.length > 0, `${ready.length} ready of ${endpoints.length} kube-dns endpoint(s) in ${slices.items.length} EndpointSlice(s)`);
        });
        const pod = `dns-${Date.now()}`;
        // The kube-proxy image is Debian: getent follows the pod's resolv.conf (cluster DNS, search path).
        await kubectl(cp, [
          'run',
          pod,
          '--restart=Never',
          '--image=registry.k8s.io/kube-proxy:v1.34.4',
          '--image-pull-policy=Never',
          '--command',
          '--',
          'getent',
          'hosts',
          'kubernetes.default',
        ]);
        const phase = await waitFor(
          'DNS pod to finish',
          async () => {
            const p = (await kubectl(cp, ['get', 'pod', pod, '-o', 'jsonpath={.status.phase}'])).trim();
            return p === 'Succeeded' || p === 'Failed' ? doneWith(p) : notYet(`phase ${p || 'not set'}`);
          },
          3 * 60_000,
        );
        const logs = await kubectl(cp, ['logs', pod]);
        expect(phase, logs).toBe('Succeeded');
        expect(logs).toMatch(/^10\.96\.0\.1\s+kubernetes\.default\.svc\.cluster\.local/m);
      });

      it('routes pod traffic between nodes', async () => {
        const schedulable = [...nodes.workers, ...nodes.controlPlanes];
        const serverNode = schedulable[0]!;
        const clientNode = schedulable[1] ?? serverNode;
        const server = `podnet-server-${Date.now()}`;
        const client = `podnet-client-${Date.now()}`;
        const podSpec = (name: string, nodeName: string, container: Record<string, unknown>) =>
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name },
            spec: {
              nodeName,
              restartPolicy: 'Never',
              tolerations: [{ operator: 'Exists' }],
              volumes: [{ name: 'data', emptyDir: {} }],
              containers: [
                {
                  name: 'main',
                  image: 'registry.k8s.io/etcd:3.6.5-0',
                  imagePullPolicy: 'Never',
                  volumeMounts: [{ name: 'data', mountPath: '/data' }],
                  ...container,
                },
              ],
            },
          });
        // etcd (server) and etcdctl (client) come with the etcd image: a real TCP round trip over the pod network.
        await kubectl(
          cp,
          ['apply', '-f', '-'],
          podSpec(server, serverNode, {
            command: ['etcd', '--data-dir=/data', '--listen-client-urls=http://0.0.0.0:2379', '--advertise-client-urls=http://127.0.0.1:2379'],
            readinessProbe: { tcpSocket: { port: 2379 }, periodSeconds: 1 },
          }),
        );
        // Ready (its TCP probe on 2379 passed), not just Running: etcdctl next needs etcd listening.
        const serverIp = await waitFor(
          'server pod Ready with an IP',
          async () => {
            const pod = JSON.parse(await kubectl(cp, ['get', 'pod', server, '-o', 'json'])) as PodList['items'][number];
            const state = `phase ${pod.status.phase}, ${podReady(pod) ? 'Ready' : 'not Ready'}, IP ${pod.status.podIP ?? 'none'}`;
            return podReady(pod) && pod.status.podIP ? doneWith(pod.status.podIP, state) : notYet(state);
          },
          3 * 60_000,
        );
        await kubectl(
          cp,
          ['apply', '-f', '-'],
          podSpec(client, clientNode, { command: ['etcdctl', `--endpoints=http://${serverIp}:2379`, '--dial-timeout=5s', 'put', 'kindlab', 'reached'] }),
        );
        const phase = await waitFor(
          'client pod to finish',
          async () => {
            const p = (await kubectl(cp, ['get', 'pod', client, '-o', 'jsonpath={.status.phase}'])).trim();
            return p === 'Succeeded' || p === 'Failed' ? doneWith(p) : notYet(`phase ${p || 'not set'}`);
          },
          3 * 60_000,
        );
        const logs = await kubectl(cp, ['logs', client]);
        expect(phase, logs).toBe('Succeeded');
        expect(logs).toContain('OK');
        const placed = (await kubectl(cp, ['get', 'pods', server, client, '-o', 'jsonpath={.items[*].spec.nodeName}'])).trim().split(' ');
        if (schedulable.length > 1) expect(placed[0]).not.toBe(placed[1]);
      });

      it('shows containerd, kubelet, shims with /pause children, kube-proxy and the CNI daemon in the node process tree', async () => {
        const node = nodes.workers[0] ?? cp;
        const tree = await run('docker', ['exec', node, 'ps', 'fxwwo', 'pid,cmd']);
        expect(tree).toMatch(/\/usr\/bin\/containerd/);
        expect(tree).toMatch(/\/usr\/bin\/kubelet /);
        expect(tree).toMatch(/containerd-shim-runc-v2 -namespace k8s\.io/);
        expect(tree).toMatch(/\\_ \/pause/);
        expect(tree).toMatch(/kube-proxy --config=/);
        expect(tree).toMatch(/\/opt\/bin\/flanneld/);
        const cpTree = await run('docker', ['exec', cp, 'ps', 'fxwwo', 'pid,cmd']);
        for (const component of ['etcd ', 'kube-apiserver ', 'kube-scheduler ', 'kube-controller-manager ']) expect(cpTree).toContain(component);
      });

      if (spec.controlPlanes > 1) {
        it('balances the API over all control planes and runs a 3-member etcd', async () => {
          expect(nodes.loadBalancers).toHaveLength(1);
          const lb = nodes.loadBalancers[0]!;
          expect((await run('docker', ['inspect', '--format', '{{.Config.Image}}', lb])).trim()).toBe(LOAD_BALANCER_IMAGE);
          // kind wrote the config and sent SIGHUP; the running haproxy must now list every control plane.
          const config = await run('docker', ['exec', lb, 'cat', '/usr/local/etc/haproxy/haproxy.cfg']);
          for (const name of nodes.controlPlanes) expect(config).toContain(`server ${name} ${name}:6443`);
          // admin.conf inside the nodes points at the load balancer: this request went through haproxy.
          const server = (await kubectl(cp, ['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).trim();
          expect(server).toBe(`https://${cluster}-external-load-balancer:6443`);
          expect((await kubectl(cp, ['get', '--raw', '/readyz'])).trim()).toBe('ok');
          const members = await kubectl(cp, [
            'exec',
            '-n',
            'kube-system',
            `etcd-${cp}`,
            '--',
            'etcdctl',
            '--endpoints=https://127.0.0.1:2379',
            '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
            '--cert=/etc/kubernetes/pki/etcd/server.crt',
            '--key=/etc/kubernetes/pki/etcd/server.key',
            'member',
            'list',
          ]);
          expect(members.split('\n').filter((l) => l.includes(', started, '))).toHaveLength(3);
        });
      }
    });
  }
});

// Keep the fixture paths honest: the configs this test hands to kind exist.
for (const spec of TOPOLOGIES) readFileSync(join(root, `test/fixtures/kind-${spec.topology}.yaml`));
