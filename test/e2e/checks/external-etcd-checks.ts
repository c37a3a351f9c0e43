import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { coreApi } from '../support/kube-api.js';
import type { LiveLabAccessor } from '../support/live-lab.js';

function etcdctl(container: string, args: string[]): string {
  return execFileSync('docker', ['exec', container, 'etcdctl', '--endpoints', 'http://127.0.0.1:2379', ...args], { encoding: 'utf8' });
}

/** `--etcd external`: the apiservers really use the lab's etcd container, and the cluster's objects live there. */
export function registerExternalEtcdChecks(lab: LiveLabAccessor): void {
  describe('external etcd', () => {
    const etcdContainer = () => `${lab().name}-external-etcd`;

    it('runs as a kindlab-labelled container on the kind network, without kind\'s cluster label', () => {
      const labels = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Labels}}', etcdContainer()], { encoding: 'utf8' })) as Record<string, string>;
      expect(labels).toMatchObject({ 'dev.kindlab.lab': lab().name, 'dev.kindlab.component': 'etcd' });
      expect(labels).not.toHaveProperty('io.x-k8s.kind.cluster');
      const networks = execFileSync('docker', ['inspect', '--format', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', etcdContainer()], { encoding: 'utf8' });
      expect(networks.trim().split(' ')).toContain('kind');
    });

    it('every kube-apiserver has --etcd-servers pointing at it, and there is no etcd static pod', async () => {
      const pods = (await coreApi(lab()).listNamespacedPod({ namespace: 'kube-system' })).items;
      const apiservers = pods.filter((p) => p.metadata?.labels?.component === 'kube-apiserver');
      expect(apiservers).toHaveLength(lab().controlPlanes);
      for (const pod of apiservers) {
        expect(pod.spec?.containers[0]?.command).toContain(`--etcd-servers=http://${etcdContainer()}:2379`);
      }
      expect(pods.filter((p) => p.metadata?.labels?.component === 'etcd')).toEqual([]);
    });

    it('the running apiserver processes use it (ps inside each control-plane node)', () => {
      for (const node of lab().controlPlaneContainers) {
        const ps = execFileSync('docker', ['exec', node, 'ps', '-eo', 'args'], { encoding: 'utf8' });
        const apiserver = ps.split('\n').find((l) => l.startsWith('kube-apiserver '));
        expect(apiserver, `kube-apiserver in ${node}`).toContain(`--etcd-servers=http://${etcdContainer()}:2379`);
        expect(ps.split('\n').some((l) => l.startsWith('etcd '))).toBe(false);
      }
    });

    it('holds the cluster\'s objects: a ConfigMap created through the API appears in etcd', async () => {
      const name = `kindlab-e2e-${Date.now()}`;
      await coreApi(lab()).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { k: 'v' } } });
      expect(etcdctl(etcdContainer(), ['get', `/registry/configmaps/default/${name}`, '--keys-only']).trim()).toBe(`/registry/configmaps/default/${name}`);
      const nodes = etcdctl(etcdContainer(), ['get', '/registry/minions/', '--prefix', '--keys-only']).split('\n').filter(Boolean);
      expect(nodes).toHaveLength(lab().controlPlanes + lab().workers);
      await coreApi(lab()).deleteNamespacedConfigMap({ namespace: 'default', name });
    });
  });
}
