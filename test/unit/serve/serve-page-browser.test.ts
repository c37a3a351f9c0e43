// The live page of `lab serve` in a real browser (Debian's chromium), fed the recorded snapshots
// through the fake API seam: it draws what the static report draws (the same layout code), and reads
// at 1920x1080. Needs the browser bundle built (`npm run build` compiles src/serve/browser/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { LabLiveFeed } from '../../../src/serve/lab-live-feed.js';
import { startServeServer, type RunningServer } from '../../../src/serve/serve-http.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';
import { drawingFlaws, drawnNodes, expectedNodes, openBrowserPage, type BrowserPage } from '../support/drawing-in-browser.js';
import { FakeKubeApi } from '../support/fake-kube-api.js';

const TOKEN = 'test-token-0123456789';
let browser: BrowserPage;

beforeAll(async () => {
  browser = await openBrowserPage();
}, 60_000);
afterAll(async () => browser?.close());

describe.each(TOPOLOGIES)('the live page of the recorded %s cluster in chromium', (topology) => {
  const snapshot: Snapshot = loadSnapshot(topology);
  let running: RunningServer;
  let feed: LabLiveFeed;
  const page = () => browser.page;

  beforeAll(async () => {
    feed = new LabLiveFeed({ connect: async () => new FakeKubeApi(), inspect: async () => snapshot, texts: loadAnnotations('en'), intervalMs: 60_000 });
    running = await startServeServer({ listen: '127.0.0.1', port: 0, token: TOKEN, feeds: new Map([[topology, feed]]), index: async () => [] });
    browser.problems.length = 0;
    await page().goto(`${new URL(running.url).origin}/lab/${topology}?token=${TOKEN}`);
    await page().waitForFunction((count) => document.querySelectorAll('[data-node]').length === count, snapshot.nodes.length, { timeout: 30_000 });
  }, 60_000);
  afterAll(async () => running?.close());

  it('draws every node with its pod groups, shims and pauses, with no console errors', async () => {
    expect(await drawnNodes(page())).toEqual(expectedNodes(snapshot));
    expect(await page().locator('#arrows path.arrow').count()).toBeGreaterThan(0);
    expect(browser.problems).toEqual([]);
  });

  it('reads at 1920x1080: no cut text, no box over another, no arrow over a pod', async () => {
    expect(await drawingFlaws(page())).toEqual({ truncated: [], overlaps: [], crossings: [] });
    // KINDLAB_SCREENSHOTS=docs/images keeps the pictures the README shows.
    const dir = process.env.KINDLAB_SCREENSHOTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await page().screenshot({ path: join(dir, `serve-${topology}.png`) });
    }
  });

  it('highlights what a tour step talks about (lab tour --serve), its title shown as text', async () => {
    const title = '<img src=x onerror=alert(1)> worker services';
    feed.tour({
      number: '2.1',
      chapter: 'Worker nodes',
      step: title,
      highlight: [{ component: 'kubelet' }, { kind: 'shim' }, { pod: 'coredns' }, { arrow: 'etcd' }],
    });
    await page().waitForFunction(() => document.querySelectorAll('.highlight').length > 0, undefined, { timeout: 10_000 });
    expect(await page().locator('#tour').textContent()).toBe(`2.1 Worker nodes: ${title}`);
    const marked = await page().$$eval('.highlight', (e) =>
      e.map((x) => ({ ...(x as HTMLElement).dataset, class: x.getAttribute('class') ?? '' }) as Record<string, string | undefined>),
    );
    const shims = snapshot.nodes.flatMap((n) => n.processes.filter((p) => p.identity.kind === 'shim' && p.identity.pod));
    const kubelets = snapshot.nodes.filter((n) => n.processes.some((p) => p.identity.component === 'kubelet'));
    const corednsPods = snapshot.kubernetes.pods.filter((p) => p.name.startsWith('coredns'));
    expect(marked.filter((m) => m.component === 'kubelet')).toHaveLength(kubelets.length);
    expect(marked.filter((m) => m.kind === 'shim')).toHaveLength(shims.length);
    expect(marked.filter((m) => m.pod?.startsWith('kube-system/coredns'))).toHaveLength(corednsPods.length);
    expect(marked.filter((m) => m.class?.includes('arrow-etcd'))).toHaveLength(snapshot.nodes.filter((n) => n.role === 'control-plane').length);
    expect(marked).toHaveLength(kubelets.length + shims.length + corednsPods.length + snapshot.nodes.filter((n) => n.role === 'control-plane').length);
    expect(await page().locator('#canvas.touring').count()).toBe(1);
    expect(await page().locator('img').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });
});
