/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callbacks of page.$$eval run in the browser: they see its DOM.
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doneIf, notYet, valueOrPending, waitUntil } from '../../../src/common/wait-until.js';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { TOKEN_COOKIE } from '../../../src/serve/serve-http.js';
import type { VerifyReport } from '../../../src/verify/check-result.js';
import type { ReportCounts } from '../../../src/verify/summarize-report.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { runLab, spawnLab } from '../support/run-lab.js';
import { openBrowserPage, type BrowserPage } from '../../support/browser-page.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const DEPLOYMENT = 'serve-e2e';

/** What the page shows per node: the shims' and pauses' pids and the names of the components. */
interface NodeFacts {
  shims: number[];
  pauses: number[];
  components: string[];
}

function factsOfSnapshot(snapshot: Snapshot): Record<string, NodeFacts> {
  return Object.fromEntries(
    snapshot.nodes.map((n) => [
      n.name,
      {
        shims: n.processes
          .filter((p) => p.identity.kind === 'shim' && p.identity.pod)
          .map((p) => p.pid)
          .sort(),
        pauses: n.processes
          .filter((p) => p.identity.kind === 'pause' && p.identity.pod)
          .map((p) => p.pid)
          .sort(),
        components: [
          ...new Set(
            n.processes
              .filter((p) => p.identity.component && (p.identity.kind === 'system' || p.identity.kind === 'container'))
              .map((p) => p.identity.component!),
          ),
        ].sort(),
      },
    ]),
  );
}

async function factsOfPage(page: Page): Promise<Record<string, NodeFacts>> {
  return page.$$eval('[data-node]', (boxes) =>
    Object.fromEntries(
      boxes.map((box) => {
        const pids = (kind: string) => [...box.querySelectorAll<HTMLElement>(`.pod [data-kind="${kind}"]`)].map((p) => Number(p.dataset.pid)).sort();
        const components = [...box.querySelectorAll<HTMLElement>('[data-kind="system"][data-component], [data-kind="container"][data-component]')].map(
          (p) => p.dataset.component!,
        );
        return [(box as HTMLElement).dataset.node!, { shims: pids('shim'), pauses: pids('pause'), components: [...new Set(components)].sort() }];
      }),
    ),
  );
}

/** Pod groups of the test's Deployment on the page, with whether each has its shim and pause drawn. */
async function deploymentPods(page: Page): Promise<Array<{ pod: string; shim: boolean; pause: boolean; text: string }>> {
  return page.$$eval(`[data-pod^="default/${DEPLOYMENT}-"]`, (groups) =>
    groups.map((g) => ({
      pod: (g as HTMLElement).dataset.pod!,
      shim: g.querySelector('[data-kind="shim"]') !== null,
      pause: g.querySelector('[data-kind="pause"]') !== null,
      text: g.textContent ?? '',
    })),
  );
}

function appsApi(kubeconfigPath: string, context: string): AppsV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc.makeApiClient(AppsV1Api);
}

/** `lab serve` on a free port, read through Debian's chromium at 1920x1080 as a projector shows it. */
export function registerServeChecks(getLab: LiveLabAccessor): void {
  describe('lab serve', () => {
    let server: ReturnType<typeof spawnLab> | undefined;
    let url = '';
    let browser: BrowserPage | undefined;
    let page: Page;
    let problems: string[] = [];

    beforeAll(async () => {
      const lab = getLab();
      server = spawnLab(['serve', lab.name, '--port', '0', '--interval', '5s']);
      let printed = '';
      server.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      url = await waitUntil(async () => valueOrPending(/http:\/\/\S+/.exec(printed)?.[0], `stdout so far: ${printed}`), {
        what: 'lab serve to print its URL',
        timeoutMs: 120_000,
        intervalMs: 250,
      }).catch(async (error: unknown) => {
        server!.kill('SIGKILL');
        throw new Error(`${(error as Error).message}\nstderr: ${(await server!).stderr}`);
      });
      browser = await openBrowserPage();
      ({ page, problems } = browser);
      await page.goto(url);
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      if (!server) return;
      server.kill('SIGINT');
      const done = await server;
      // Ctrl-C is the way to stop a server: it closes the watches and the socket and exits 0.
      expect(done.stderr).toContain('stopping lab serve');
      expect({ exitCode: done.exitCode, signal: done.signal }, done.stderr).toEqual({ exitCode: 0, signal: undefined });
    }, 60_000);

    it('binds 127.0.0.1 only, and refuses requests without the token', async () => {
      const address = new URL(url);
      expect(address.hostname).toBe('127.0.0.1');
      for (const path of ['/', `/lab/${getLab().name}`, `/lab/${getLab().name}/events`, '/assets/page.js', '/?token=nope']) {
        expect((await fetch(`${address.origin}${path}`, { redirect: 'manual' })).status, path).toBe(401);
      }
      const other = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
      if (other) {
        const refused = await new Promise<boolean>((resolve) => {
          const socket = connect(Number(address.port), other);
          socket.once('connect', () => resolve(socket.destroy() && false));
          socket.once('error', () => resolve(true));
        });
        expect(refused, `port ${address.port} on ${other}`).toBe(true);
      }
    });

    it('shows the outcome of a `lab verify` of the lab on the index (/labs): never run, then the verify`s', async () => {
      const lab = getLab();
      const address = new URL(url);
      // The index's row of this lab, fetched as a browser would with the token's cookie.
      const row = async () => {
        const index = await fetch(`${address.origin}/labs`, { headers: { cookie: `${TOKEN_COOKIE}=${address.searchParams.get('token')}` } });
        const html = await index.text();
        expect(index.status, html).toBe(200);
        return html.split('\n').find((line) => line.startsWith(`<tr data-lab="${lab.name}">`)) ?? html;
      };
      // The lab is new: an outcome kept for a former lab of this name in KINDLAB_HOME does not count.
      expect(await row()).toContain('<td class="verify verify-never" title="lab verify has not run on this lab">never run</td>');
      const verify = await runLab(['verify', lab.name, '--output', 'json']);
      const report = JSON.parse(verify.stdout) as VerifyReport & { counts: ReportCounts };
      expect(verify.exitCode, verify.stderr).toBe(report.passed ? 0 : 1);
      const { counts } = report;
      const outcome = report.passed ? `passed ${counts.passed}/${counts.total}` : `failed ${counts.failed} of ${counts.total}: `;
      const shown = await row();
      expect(shown).toContain(`<td class="verify verify-${report.passed ? 'passed' : 'failed'}" title="lab verify at ${report.startedAt} against`);
      expect(shown).toMatch(new RegExp(`>${outcome}.* · (just now|\\d+ min ago)</td></tr>$`));
    }, 300_000);

    it('draws every node with the same shims, pauses and components as `lab inspect --output json`', async () => {
      const lab = getLab();
      // Both sides are read again until they agree: the page re-reads every 5 s, a probe pod may come and go.
      await waitUntil(
        async () => {
          const inspect = await runLab(['inspect', lab.name, '--output', 'json']);
          if (inspect.exitCode !== 0) return notYet(`lab inspect exited ${inspect.exitCode}: ${inspect.stderr}`);
          const expected = factsOfSnapshot(JSON.parse(inspect.stdout) as Snapshot);
          const shown = await factsOfPage(page);
          return doneIf(JSON.stringify(shown) === JSON.stringify(expected), `page ${JSON.stringify(shown)}\ninspect ${JSON.stringify(expected)}`);
        },
        { what: 'the page to show what lab inspect shows', timeoutMs: 180_000, intervalMs: 2000 },
      );
      const nodes = await page.$$eval('[data-node]', (b) => b.map((x) => (x as HTMLElement).dataset.node));
      expect(nodes.length).toBe(lab.controlPlanes + lab.workers + (lab.topology === 'ha' ? 1 : 0) + (lab.etcd === 'external' ? 1 : 0));
      expect(await page.locator('#arrows path.arrow').count()).toBeGreaterThanOrEqual(2 * (lab.controlPlanes + lab.workers));
      await page.waitForTimeout(500);
      // KINDLAB_E2E_SCREENSHOTS=docs/images keeps the pictures the README shows; else next to the lab's kubeconfig.
      const dir = process.env.KINDLAB_E2E_SCREENSHOTS ?? join(lab.kubeconfigPath, '..');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `serve-${lab.topology}.png`) });
    }, 240_000);

    it('shows a process and a pod when clicked: command line, pid, parent, pod; the API object redacted', async () => {
      const apiserver = page.locator('[data-component="kube-apiserver"][data-kind="container"]').first();
      await apiserver.click();
      const detail = (await page.locator('#detail-text').textContent()) ?? '';
      expect(detail).toMatch(/^pid \d+ \(parent \d+\) on \S+\npod kube-system\/kube-apiserver-/);
      expect(detail).toContain('kube-apiserver --advertise-address=');
      await page.locator('[data-pod^="kube-system/coredns-"] .pod-title').first().click();
      await page.waitForFunction(() => document.getElementById('detail-text')?.textContent?.includes('"kind": "Pod"') ?? false, undefined, { timeout: 30_000 });
      expect(await page.locator('#detail-text').textContent()).not.toContain('managedFields');
    });

    it('draws a new Deployment`s three pods with shim and pause, streams its controller loop, and removes them on delete', async () => {
      const lab = getLab();
      const apps = appsApi(lab.kubeconfigPath, lab.context);
      const image = await runLab(['inspect', lab.name, '--output', 'json']).then(
        (r) =>
          (JSON.parse(r.stdout) as Snapshot).kubernetes.pods.flatMap((p) => p.containers.map((c) => c.image)).find((i) => i.includes('/pause:')) ??
          'registry.k8s.io/pause:3.10.1',
      );
      const labels = { app: DEPLOYMENT };
      await apps.createNamespacedDeployment({
        namespace: 'default',
        body: {
          metadata: { name: DEPLOYMENT, labels },
          spec: {
            replicas: 3,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels, annotations: { 'dev.kindlab/note': HOSTILE } },
              spec: { containers: [{ name: 'sleeper', image }], terminationGracePeriodSeconds: 0 },
            },
          },
        },
      });
      try {
        const pods = await waitUntil(
          async () => {
            const shown = await deploymentPods(page);
            return valueOrPending(shown.length === 3 && shown.every((p) => p.shim && p.pause) ? shown : undefined, JSON.stringify(shown));
          },
          { what: 'three pods of the Deployment with shim and pause on the page', timeoutMs: 180_000, intervalMs: 250 },
        );
        // The annotation is shown as text; nothing in it ran or became an element.
        for (const pod of pods) expect(pod.text).toContain(`dev.kindlab/note: ${HOSTILE}`);
        expect(await page.locator('img').count()).toBe(0);
        expect(problems.filter((p) => p.startsWith('dialog: '))).toEqual([]);
        await waitUntil(
          async () => {
            const events = await page.$$eval('#controller-events li', (items) => items.map((i) => `${(i as HTMLElement).dataset.reason} ${i.textContent}`));
            const seen = (reason: string) => events.some((e) => e.startsWith(`${reason} `) && e.includes(DEPLOYMENT));
            const missing = ['ScalingReplicaSet', 'SuccessfulCreate', 'Scheduled', 'Started'].filter((r) => !seen(r));
            return doneIf(missing.length === 0, `missing ${missing.join(', ')}`);
          },
          { what: 'the controller loop of the Deployment in the panel', timeoutMs: 120_000, intervalMs: 500 },
        );
      } finally {
        await apps.deleteNamespacedDeployment({ namespace: 'default', name: DEPLOYMENT, propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
      }
      await waitUntil(async () => doneIf((await deploymentPods(page)).length === 0, JSON.stringify(await deploymentPods(page))), {
        what: 'the Deployment`s pods to leave the page',
        timeoutMs: 180_000,
        intervalMs: 500,
      });
    }, 600_000);

    it('logged no console error or warning (CSP violations included)', () => {
      expect(problems).toEqual([]);
    });
  });
}
