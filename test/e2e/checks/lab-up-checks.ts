import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { coreApi } from '../support/kube-api.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { jsonLines, runLab } from '../support/run-lab.js';
import { LAB_UP_STEP_ORDER } from '../../support/lab-up-step-order.js';

interface StatusJson {
  name: string;
  topology: string;
  etcd: string;
  state: string;
  context: string;
  managed: boolean;
  nodes: Array<{ name: string; role: string; status: string; version: string; internalIP: string }>;
  containers: Array<{ name: string; role: string; state: string; ip: string }>;
  externalEtcd?: { container: string; endpoint: string; state: string };
}

/** What `lab up` promises for every topology: checked against the Kubernetes API and Docker, not against kindlab itself. */
export function registerLabUpChecks(lab: LiveLabAccessor): void {
  describe('lab up / status / list', () => {
    it('reported every step in order as JSON events', () => {
      const done = lab()
        .upEvents.filter((e) => e.event === 'step' && (e.status === 'succeeded' || e.status === 'skipped'))
        .map((e) => e.step);
      expect(done).toEqual([...LAB_UP_STEP_ORDER]);
    });

    it('lab status --json agrees with the Kubernetes API', async () => {
      const status = await runLab(['status', lab().name, '--json']);
      expect(status.exitCode, status.stderr).toBe(0);
      const json = JSON.parse(status.stdout) as StatusJson;
      const api = await coreApi(lab()).listNode();
      const fromApi = api.items
        .map((n) => ({
          name: n.metadata?.name,
          role: n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ? 'control-plane' : 'worker',
          status: n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady',
          version: n.status?.nodeInfo?.kubeletVersion,
          internalIP: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
        }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      expect(json.nodes.map(({ name, role, status: s, version, internalIP }) => ({ name, role, status: s, version, internalIP }))).toEqual(fromApi);
      expect(json).toMatchObject({ name: lab().name, topology: lab().topology, etcd: lab().etcd, state: 'running', context: lab().context, managed: true });
    });

    it('has exactly the nodes of the topology, each Ready and labelled with the lab', async () => {
      const nodes = (await coreApi(lab()).listNode()).items;
      const roles = nodes.map((n) => ('node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}) ? 'control-plane' : 'worker'));
      expect(roles.filter((r) => r === 'control-plane')).toHaveLength(lab().controlPlanes);
      expect(roles.filter((r) => r === 'worker')).toHaveLength(lab().workers);
      for (const node of nodes) {
        expect(node.metadata?.labels).toMatchObject({ 'dev.kindlab.lab': lab().name, 'dev.kindlab.topology': lab().topology, 'dev.kindlab.etcd': lab().etcd });
      }
    });

    it('removes the control-plane taint only in single', async () => {
      const nodes = (await coreApi(lab()).listNode()).items;
      const controlPlanes = nodes.filter((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}));
      const tainted = controlPlanes.filter((n) => n.spec?.taints?.some((t) => t.key === 'node-role.kubernetes.io/control-plane'));
      expect(tainted).toHaveLength(lab().topology === 'single' ? 0 : lab().controlPlanes);
    });

    it('has every kube-system pod Running', async () => {
      const pods = (await coreApi(lab()).listNamespacedPod({ namespace: 'kube-system' })).items;
      expect(pods.length).toBeGreaterThan(0);
      expect(pods.filter((p) => p.status?.phase !== 'Running').map((p) => `${p.metadata?.name}: ${p.status?.phase}`)).toEqual([]);
    });

    it('runs the HA load balancer only with several control planes', () => {
      const lbs = execFileSync(
        'docker',
        [
          'ps',
          '--filter',
          `label=io.x-k8s.kind.cluster=${lab().name}`,
          '--filter',
          'label=io.x-k8s.kind.role=external-load-balancer',
          '--format',
          '{{.Names}}',
        ],
        { encoding: 'utf8' },
      ).trim();
      expect(lbs ? lbs.split('\n') : []).toHaveLength(lab().controlPlanes > 1 ? 1 : 0);
    });

    it('merged the context into the kubeconfig file with mode 0600', () => {
      expect(statSync(lab().kubeconfigPath).mode & 0o777).toBe(0o600);
      const config = load(readFileSync(lab().kubeconfigPath, 'utf8')) as { contexts: Array<{ name: string }> };
      expect(config.contexts.map((c) => c.name)).toContain(lab().context);
    });

    it('is listed by lab list --json', async () => {
      const list = await runLab(['list', '--json']);
      expect(list.exitCode, list.stderr).toBe(0);
      const labs = JSON.parse(list.stdout) as StatusJson[];
      expect(labs.find((l) => l.name === lab().name)).toMatchObject({ topology: lab().topology, etcd: lab().etcd });
    });

    it('refuses a second lab up with the same name and changes nothing', async () => {
      const again = await runLab(['up', lab().topology, '--name', lab().name, '--json']);
      expect(again.exitCode).toBe(2);
      expect(jsonLines(again.stdout).at(-1)).toMatchObject({
        event: 'result',
        ok: false,
        error: expect.stringMatching(new RegExp(`^lab ${lab().name} is in use \\(by run [0-9a-f]{8} since `)),
      });
      const status = JSON.parse((await runLab(['status', lab().name, '--json'])).stdout) as StatusJson;
      expect(status.state).toBe('running');
    });
  });
}
