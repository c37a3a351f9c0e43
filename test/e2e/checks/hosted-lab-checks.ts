/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callback of page.evaluate runs in the browser: it sees the page's DOM.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { LAB_LABEL } from '../../../src/common/labels.js';
import { valueOrPending, waitUntil } from '../../../src/common/wait-until.js';
import { AGENT_NAMESPACE, agentSelector } from '../../../src/node/agent-pod-manifest.js';
import { TOKEN_COOKIE } from '../../../src/serve/serve-http.js';
import { openBrowserPage } from '../../support/browser-page.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import type { LiveLab } from '../support/live-lab.js';
import { jsonLines, runLab, spawnLab } from '../support/run-lab.js';
import { waitWhileRunning } from '../support/wait-while-running.js';
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

/** The agent pods (any run) inside the hosted lab, through its own kubeconfig. */
async function agentPodsIn(kubeconfig: string, lab: string): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(`kind-${lab}`);
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: AGENT_NAMESPACE, labelSelector: agentSelector() });
  return pods.items.map((p) => p.metadata?.name ?? '');
}

/** What the live page draws: its nodes, and the pod each shim and pause names. */
async function hostedNodeOnPage(page: Page): Promise<{ nodes: string[]; shims: string[]; pauses: string[] }> {
  return page.evaluate(() => {
    const podOf = (kind: string) =>
      [...document.querySelectorAll<HTMLElement>(`[data-pod] [data-kind="${kind}"]`)].map((e) => e.closest<HTMLElement>('[data-pod]')!.dataset.pod!).sort();
    return { nodes: [...document.querySelectorAll<HTMLElement>('[data-node]')].map((e) => e.dataset.node!), shims: podOf('shim'), pauses: podOf('pause') };
  });
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

    it('lab serve shows the hosted lab live (its node, each shim and pause naming its pod), then Ctrl-C removes its agents', async () => {
      const server = spawnLab(['serve', name, '--port', '0', '--interval', '5s']);
      let printed = '';
      server.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const browser = await openBrowserPage();
      try {
        const url = await waitWhileRunning(server, async () => valueOrPending(/http:\/\/\S+/.exec(printed)?.[0], `stdout so far: ${printed}`), {
          what: 'lab serve to print its URL',
          timeoutMs: 60_000,
          intervalMs: 250,
        });
        await browser.page.goto(url);
        // The hosted lab's one node, drawn from the reads of agent pods inside it; the agents themselves left out.
        const shown = await waitUntil(
          async () => {
            const now = await hostedNodeOnPage(browser.page);
            const apiserver = now.pauses.some((pod) => pod === `kube-system/kube-apiserver-${name}-control-plane`);
            return valueOrPending(now.nodes.length === 1 && apiserver && now.shims.length === now.pauses.length ? now : undefined, JSON.stringify(now));
          },
          { what: "the page to draw the hosted lab's node with its shims and pauses", timeoutMs: 120_000, intervalMs: 500 },
        );
        expect(shown.nodes).toEqual([`${name}-control-plane`]);
        expect(shown.pauses.filter((pod) => pod.startsWith('kube-system/kindlab-agent-'))).toEqual([]);
        expect(await agentPodsIn(kubeconfig, name)).not.toEqual([]);
        // The index names the lab by where it runs.
        const address = new URL(url);
        const index = await fetch(`${address.origin}/labs`, { headers: { cookie: `${TOKEN_COOKIE}=${address.searchParams.get('token')}` } });
        const row = (await index.text()).split('\n').find((line) => line.startsWith(`<tr data-lab="${name}">`));
        expect(row).toContain(`single: hosted in pod default/kindlab-${name}`);
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
        server.kill('SIGINT');
      }
      const done = await server;
      expect({ exitCode: done.exitCode, signal: done.signal }, done.stderr).toEqual({ exitCode: 0, signal: undefined });
      // The agents are gone by the time lab serve exits (deleted gracefully: their kubelet stopped them).
      expect(await agentPodsIn(kubeconfig, name)).toEqual([]);
    }, 300_000);

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
