import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_ETCDCTL_TLS } from '../../../src/cluster/external-etcd.js';
import { ETCD_IMAGE } from '../../../src/image/image-refs.js';
import { coreApi } from '../support/kube-api.js';
import type { LiveLab, LiveLabAccessor } from '../support/live-lab.js';
import { runLab } from '../support/run-lab.js';

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' });
}

function etcdctl(container: string, args: string[]): string {
  return docker(['exec', container, 'etcdctl', ...EXTERNAL_ETCDCTL_TLS, ...args]);
}

function inspect<T>(format: string, target: string, kind: 'container' | 'volume' = 'container'): T {
  return JSON.parse(docker([kind, 'inspect', '--format', `{{json ${format}}}`, target])) as T;
}

export interface ExternalEtcdCheckOptions {
  /** Another lab on the same host: its pods must not be able to read this lab's etcd. */
  otherLab?: () => Promise<LiveLab>;
}

/** `--etcd external`: the apiservers really use the lab's etcd container over TLS, the cluster's objects live there, and nobody else can read it. */
export function registerExternalEtcdChecks(lab: LiveLabAccessor, options: ExternalEtcdCheckOptions = {}): void {
  describe('external etcd', () => {
    const etcdContainer = () => `${lab().name}-external-etcd`;
    const endpoint = () => `https://${etcdContainer()}:2379`;

    it("runs as a kindlab-labelled container on the kind network, without kind's cluster label, restarting, with its data in a labelled volume", () => {
      const labels = inspect<Record<string, string>>('.Config.Labels', etcdContainer());
      expect(labels).toMatchObject({ 'dev.kindlab.lab': lab().name, 'dev.kindlab.component': 'etcd' });
      expect(labels).not.toHaveProperty('io.x-k8s.kind.cluster');
      expect(Object.keys(inspect<Record<string, unknown>>('.NetworkSettings.Networks', etcdContainer()))).toContain('kind');
      expect(inspect<{ Name: string }>('.HostConfig.RestartPolicy', etcdContainer()).Name).toBe('unless-stopped');
      const mounts = inspect<Array<{ Type: string; Name?: string; Destination: string; RW: boolean }>>('.Mounts', etcdContainer());
      expect(mounts).toContainEqual(expect.objectContaining({ Type: 'volume', Name: `${lab().name}-etcd-data`, Destination: '/var/lib/etcd', RW: true }));
      expect(mounts).toContainEqual(expect.objectContaining({ Type: 'volume', Name: `${lab().name}-etcd-pki`, Destination: '/etc/kubernetes/pki', RW: false }));
      for (const [volume, component] of [
        [`${lab().name}-etcd-data`, 'etcd'],
        [`${lab().name}-etcd-pki`, 'etcd-pki'],
      ] as const) {
        expect(inspect<Record<string, string>>('.Labels', volume, 'volume')).toMatchObject({
          'dev.kindlab.lab': lab().name,
          'dev.kindlab.component': component,
        });
      }
    });

    it('every kube-apiserver pod has --etcd-servers at it over https with the client certificate, and there is no etcd static pod', async () => {
      const pods = (await coreApi(lab()).listNamespacedPod({ namespace: 'kube-system' })).items;
      const apiservers = pods.filter((p) => p.metadata?.labels?.component === 'kube-apiserver');
      expect(apiservers).toHaveLength(lab().controlPlanes);
      for (const pod of apiservers) {
        expect(pod.spec?.containers[0]?.command).toEqual(
          expect.arrayContaining([
            `--etcd-servers=${endpoint()}`,
            '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
            '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
            '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
          ]),
        );
      }
      expect(pods.filter((p) => p.metadata?.labels?.component === 'etcd')).toEqual([]);
    });

    it('the running apiserver processes use it over https (ps inside each control-plane node); the keys are 0600', () => {
      expect(lab().controlPlaneContainers).toHaveLength(lab().controlPlanes);
      for (const node of lab().controlPlaneContainers) {
        const ps = docker(['exec', node, 'ps', '-eo', 'args']);
        const apiserver = ps.split('\n').find((l) => l.startsWith('kube-apiserver '));
        expect(apiserver, `kube-apiserver in ${node}`).toContain(`--etcd-servers=${endpoint()}`);
        expect(ps.split('\n').some((l) => l.startsWith('etcd '))).toBe(false);
        const modes = docker(['exec', node, 'stat', '-c', '%a %n', '/etc/kubernetes/pki/apiserver-etcd-client.key', '/etc/kubernetes/pki/etcd/ca.key']);
        expect(modes.trim().split('\n')).toEqual(['600 /etc/kubernetes/pki/apiserver-etcd-client.key', '600 /etc/kubernetes/pki/etcd/ca.key']);
      }
    });

    it("holds the cluster's objects: a ConfigMap created through the API appears in etcd (read with the client certificate)", async () => {
      const name = `kindlab-e2e-${Date.now()}`;
      await coreApi(lab()).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { k: 'v' } } });
      try {
        expect(etcdctl(etcdContainer(), ['get', `/registry/configmaps/default/${name}`, '--keys-only']).trim()).toBe(`/registry/configmaps/default/${name}`);
        const nodes = etcdctl(etcdContainer(), ['get', '/registry/minions/', '--prefix', '--keys-only']).split('\n').filter(Boolean);
        expect(nodes).toHaveLength(lab().controlPlanes + lab().workers);
      } finally {
        await coreApi(lab()).deleteNamespacedConfigMap({ namespace: 'default', name });
      }
    });

    it(`lab verify passes with an expectation file of this lab's control planes and external etcd`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'kindlab-e2e-expect-')), 'expect.yaml');
      writeFileSync(
        file,
        `apiVersion: kindlab.dev/v1alpha1\nkind: Expectation\ncontrolPlanes: ${lab().controlPlanes}\nworkers: ${lab().workers}\netcd: external\n`,
      );
      const result = await runLab(['verify', lab().name, '--expect', file, '--format', 'json', '--probe-timeout', '60']);
      const report = JSON.parse(result.stdout) as { passed: boolean; checks: Array<{ name: string; status: string; summary: string }> };
      expect(
        report.checks.filter((c) => c.status === 'fail'),
        result.stdout,
      ).toEqual([]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(report.checks.filter((c) => /uses the external etcd$/.test(c.name)).map((c) => c.status)).toEqual(Array(lab().controlPlanes).fill('pass'));
      expect(report.checks.find((c) => c.name === 'external etcd is healthy')).toMatchObject({ status: 'pass' });
    });

    if (options.otherLab) {
      const otherLab = options.otherLab;
      it("a pod of another lab reaches the etcd port but cannot read it without a client certificate from this lab's CA", async () => {
        const other = await otherLab();
        const ip = Object.values(inspect<Record<string, { IPAddress: string }>>('.NetworkSettings.Networks', etcdContainer()))
          .map((n) => n.IPAddress)
          .find(Boolean);
        expect(ip).toBeTruthy();
        const name = `read-etcd-of-${lab().name}`;
        // The etcd image kubeadm uses is preloaded in every node (see src/verify/probe-pod-manifests.ts): no pull.
        // --insecure-skip-tls-verify: the pod does not even need to trust the server; what it lacks is a client certificate.
        const pod: V1Pod = {
          metadata: { name, labels: { 'dev.kindlab.lab': other.name, 'dev.kindlab.component': 'e2e' } },
          spec: {
            restartPolicy: 'Never',
            terminationGracePeriodSeconds: 0,
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: 'etcdctl',
                image: ETCD_IMAGE,
                imagePullPolicy: 'Never',
                command: [
                  'etcdctl',
                  `--endpoints=https://${ip}:2379`,
                  '--insecure-skip-tls-verify',
                  '--dial-timeout=5s',
                  '--command-timeout=15s',
                  'get',
                  '/registry/secrets/',
                  '--prefix',
                  '--keys-only',
                ],
              },
            ],
          },
        };
        const api = coreApi(other);
        // etcd's log is read from here on: one second early, since docker's --since is in whole seconds on some versions.
        const since = new Date(Date.now() - 1000).toISOString();
        await api.createNamespacedPod({ namespace: 'default', body: pod });
        try {
          const deadline = Date.now() + 120_000;
          let phase = '';
          while (Date.now() < deadline) {
            phase = (await api.readNamespacedPod({ namespace: 'default', name })).status?.phase ?? '';
            if (phase === 'Succeeded' || phase === 'Failed') break;
            await new Promise((resolve) => setTimeout(resolve, 2000));
          }
          const log = await api.readNamespacedPodLog({ namespace: 'default', name });
          console.log(`etcdctl from a pod of ${other.name} against ${lab().name}'s etcd (${ip}), phase ${phase}:\n${log}`);
          expect(phase, `pod phase after 120 s; log:\n${log}`).toBe('Failed');
          expect(log).not.toContain('/registry/secrets/');
          // Why it failed is told by the server, not the client: under TLS 1.3 the client finishes its handshake before
          // the server checks for a certificate, so etcdctl sees either the server's "certificate required" alert or,
          // when it wrote first, a broken pipe (CI, stop 20). etcd logs every rejected handshake with its peer address:
          // the pod's own address, or its node's when flannel (--ip-masq) masquerades traffic that leaves the pod network.
          const status = (await api.readNamespacedPod({ namespace: 'default', name })).status;
          const from = [status?.podIP, status?.hostIP].filter(Boolean);
          // etcd logs to stderr, which docker logs replays on its own stderr.
          const logs = spawnSync('docker', ['logs', '--since', since, etcdContainer()], { encoding: 'utf8' });
          expect(logs.status, logs.stderr).toBe(0);
          const serverLog = logs.stdout + logs.stderr;
          const rejections = serverLog
            .split('\n')
            .filter((line) => line.includes('rejected connection') && from.some((address) => line.includes(`"remote-addr":"${address}:`)));
          expect(rejections.length, `etcd's log since ${since} has no rejected connection from ${from.join(' or ')}:\n${serverLog}`).toBeGreaterThan(0);
          console.log(`etcd of ${lab().name} since ${since}, rejections from ${from.join(' or ')}:\n${rejections.join('\n')}`);
          expect(rejections.join('\n')).toMatch(/client didn't provide a certificate/);
        } finally {
          await api.deleteNamespacedPod({ namespace: 'default', name, gracePeriodSeconds: 0 });
        }
      });
    }
  });
}
