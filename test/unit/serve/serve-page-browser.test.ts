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
  const page = () => browser.page;

  beforeAll(async () => {
    const feed = new LabLiveFeed({ connect: async () => new FakeKubeApi(), inspect: async () => snapshot, texts: loadAnnotations('en'), intervalMs: 60_000 });
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
});
