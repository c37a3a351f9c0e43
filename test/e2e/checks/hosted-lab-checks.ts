import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_LABEL } from '../../../src/common/labels.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import type { LiveLab } from '../support/live-lab.js';
import { jsonLines, runLab } from '../support/run-lab.js';
import { e2eLabName } from '../support/watch-lab.js';

/** The host cluster's pods and Services of one lab, by label, as the host's admin sees them. */
async function hostObjects(host: LiveLab, lab: string): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(host.kubeconfigPath);
  kc.setCurrentContext(host.context);
  const core = kc.makeApiClient(CoreV1Api);
  const [pods, services] = await Promise.all([
    core.listPodForAllNamespaces({ labelSelector: `${LAB_LABEL}=${lab}` }),
    core.listServiceForAllNamespaces({ labelSelector: `${LAB_LABEL}=${lab}` }),
  ]);
  return [...pods.items.map((p) => `pod/${p.metadata?.name}`), ...services.items.map((s) => `service/${s.metadata?.name}`)];
}

/** Ready sandboxes of the hosted lab's pod on a host node, from that node's own containerd (a stopped one may stay listed until the kubelet's GC). */
function podSandboxesOn(node: string, lab: string): string {
  return execFileSync('docker', ['exec', node, 'crictl', 'pods', '--label', `${LAB_LABEL}=${lab}`, '--state', 'ready', '-q'], { encoding: 'utf8' }).trim();
}

/**
 * Issue 13 item 3: the lab of this file serves as the host cluster; a single lab runs inside a pod on
 * one of its workers and is verified, reported and removed from this machine.
 */
export function registerHostedLabChecks(getLab: () => LiveLab): void {
  describe('hosted lab (lab up single --host-cluster <this lab>)', () => {
    const name = e2eLabName('hosted');
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kindlab-e2e-hosted-')), 'kubeconfig');
    let hostNode: string | undefined;

    afterAll(async () => {
      // A failed check leaves the hosted lab: remove it so the host lab's own teardown finds its pod gone.
      await runLab(['down', name]);
    });

    it('lab up single --host-cluster creates the lab inside a pod on one of its workers, Ready', async () => {
      const host = getLab();
      const up = await runLab(
        [
          'up',
          'single',
          '--name',
          name,
          '--profile',
          'workshop',
          '--host-cluster',
          host.kubeconfigPath,
          '--host-context',
          host.context,
          '--kubeconfig',
          kubeconfig,
          '-o',
          'json',
        ],
        {
          timeoutMs: 20 * 60_000,
        },
      );
      const events = jsonLines(up.stdout);
      const result = events.find((e) => e.event === 'result') as
        { ok: boolean; result: { hostNode: string; server: string; durationsMs: Record<string, number>; totalMs: number } } | undefined;
      expect(up.exitCode, `${up.stderr}\n${up.stdout.slice(-3000)}`).toBe(0);
      expect(result?.ok).toBe(true);
      hostNode = result!.result.hostNode;
      expect(host.workerContainers).toContain(hostNode);
      console.info(`hosted lab up in ${result!.result.totalMs} ms on ${hostNode}: ${JSON.stringify(result!.result.durationsMs)}`);
      const status = await runLab(['status', name, '-o', 'json']);
      expect(status.exitCode, status.stderr).toBe(0);
      const parsed = JSON.parse(status.stdout) as { state: string; nodes: Array<{ status: string }>; containers: Array<{ state: string }> };
      expect(parsed.state).toBe('running');
      expect(parsed.nodes.map((n) => n.status)).toEqual(['Ready']);
      // The participant's kubeconfig reaches the lab's API from this machine, the certificate's names right.
      expect(readFileSync(kubeconfig, 'utf8')).toContain(result!.result.server);
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      kc.setCurrentContext(`kind-${name}`);
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items.map((n) => n.metadata?.name)).toEqual([`${name}-control-plane`]);
    });

    it('lab verify passes against the hosted lab from this machine', async () => {
      const verify = await runLab(['verify', name, '--format', 'json']);
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
      const report = JSON.parse(verify.stdout) as VerifyReport;
      expect(report.passed).toBe(true);
      expect(report.checks.length).toBeGreaterThan(5);
      // The lab's CoreDNS must not forward to itself (it did while the pod used the host cluster's DNS
      // Service, whose address is the lab's own kube-dns inside the lab): by now it would have restarted.
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      kc.setCurrentContext(`kind-${name}`);
      const dns = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' });
      expect(dns.items.map((p) => `${p.metadata?.name} restarts ${p.status?.containerStatuses?.[0]?.restartCount}`)).toEqual(
        dns.items.map((p) => `${p.metadata?.name} restarts 0`),
      );
    });

    it("lab report shows the hosted lab's own shims and pauses, each naming its pod", async () => {
      const run = await runLab(['report', name, '--format', 'json']);
      expect(run.exitCode, run.stderr).toBe(0);
      const snapshot = JSON.parse(run.stdout) as Snapshot;
      expect(snapshot.nodes.map((n) => n.name)).toEqual([`${name}-control-plane`]);
      const node = snapshot.nodes[0]!;
      const shims = node.processes.filter((p) => p.identity.kind === 'shim');
      const pauses = node.processes.filter((p) => p.identity.kind === 'pause');
      const ready = (node.containerd?.sandboxes ?? []).filter((s) => s.state === 'SANDBOX_READY');
      expect(pauses.length).toBe(ready.length);
      expect(shims.length).toBe(ready.length);
      expect([...shims, ...pauses].filter((p) => !p.identity.pod)).toEqual([]);
      expect(pauses.map((p) => p.identity.pod!.name)).toContain(`kube-apiserver-${name}-control-plane`);
    });

    it('lab down removes the pod and everything in it', async () => {
      const host = getLab();
      expect(await hostObjects(host, name)).not.toEqual([]);
      expect(podSandboxesOn(hostNode!, name)).not.toBe('');
      const down = await runLab(['down', name]);
      expect(down.exitCode, down.stderr).toBe(0);
      expect(await hostObjects(host, name)).toEqual([]);
      // The host node's containerd has no running sandbox of the lab's pod: dockerd and every node inside are gone with it.
      expect(podSandboxesOn(hostNode!, name)).toBe('');
      expect(readFileSync(kubeconfig, 'utf8')).not.toContain(`kind-${name}`);
      const list = await runLab(['list', '-o', 'json']);
      expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((l) => l.name)).not.toContain(name);
      expect(existsSync(join(process.env.KINDLAB_HOME ?? join(process.env.HOME ?? '', '.cache', 'kindlab'), 'hosted-labs', `${name}.json`))).toBe(false);
    });
  });
}
