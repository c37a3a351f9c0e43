// The static html report's drawing, opened in a real browser (Debian's chromium): it shows every node,
// pod group, shim and pause of the recorded snapshots, runs nothing, and reads at 1920x1080.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { renderReport } from '../../../src/report/render-report.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';
import { drawingFlaws, drawnNodes, expectedNodes, openBrowserPage, type BrowserPage } from '../support/drawing-in-browser.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const texts = loadAnnotations('en');
let browser: BrowserPage;
let dir: string;

beforeAll(async () => {
  browser = await openBrowserPage();
  dir = mkdtempSync(join(tmpdir(), 'kindlab-report-drawing-'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The recorded snapshot with one running pod renamed to a hostile name, in the API and on its processes alike. */
function withHostilePod(snapshot: Snapshot): Snapshot {
  const copy = structuredClone(snapshot);
  const pod = copy.kubernetes.pods.find((p) => p.namespace === 'kube-system' && p.name.startsWith('kube-proxy-'))!;
  const old = pod.name;
  pod.name = HOSTILE;
  for (const node of copy.nodes) for (const p of node.processes) if (p.identity.pod?.name === old) p.identity.pod.name = HOSTILE;
  return copy;
}

describe.each(TOPOLOGIES)('the static report of the recorded %s cluster in chromium', (topology) => {
  const snapshot = withHostilePod(loadSnapshot(topology));
  const page = () => browser.page;

  beforeAll(async () => {
    const file = join(dir, `${topology}.html`);
    writeFileSync(file, await renderReport(snapshot, 'html', texts));
    browser.problems.length = 0;
    await page().goto(pathToFileURL(file).href);
  }, 60_000);

  it('draws every node with its pod groups, shims and pauses', async () => {
    expect(await drawnNodes(page())).toEqual(expectedNodes(snapshot));
  });

  it('shows the hostile pod name as text and runs nothing', async () => {
    const names = await page().$$eval('[data-pod] .pod-name', (e) => e.map((n) => n.textContent));
    expect(names).toContain(HOSTILE);
    expect(await page().locator('img').count()).toBe(0);
    expect(await page().locator('script').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });

  it('links every node box to its process tree section', async () => {
    for (const node of snapshot.nodes) {
      const href = await page().locator(`[data-node="${node.name}"] a.node-name`).getAttribute('href');
      expect(href).toBe(`#node-${node.name}`);
      expect(await page().locator(`[id="node-${node.name}"]`).count()).toBe(1);
    }
  });

  it('draws an arrow for every link: kubelet -> api-server (or load balancer), api-server -> etcd, api-server -> kubelet', async () => {
    const titles = await page().$$eval('path.arrow title', (t) => t.map((x) => x.textContent ?? ''));
    const kubelets = snapshot.nodes.filter((n) => n.processes.some((p) => p.identity.component === 'kubelet'));
    const lb = snapshot.nodes.find((n) => n.role === 'external-load-balancer');
    for (const node of kubelets) {
      expect(titles.some((t) => t.startsWith(`${node.name}/kubelet → ${lb ? `${lb.name}/haproxy` : ''}`))).toBe(true);
      expect(titles.some((t) => t.includes(`/kube-apiserver → ${node.name}/kubelet:`))).toBe(true);
    }
    expect(titles.filter((t) => /\/kube-apiserver → [^ ]+\/etcd:/.test(t))).toHaveLength(snapshot.nodes.filter((n) => n.role === 'control-plane').length);
  });

  it('reads at 1920x1080: no cut text, no box over another, no arrow over a pod', async () => {
    expect(await drawingFlaws(page())).toEqual({ truncated: [], overlaps: [], crossings: [] });
    const smallest = await page().$$eval('.lab-drawing .proc, .lab-drawing .pod-name, .lab-drawing .chip', (e) =>
      Math.min(...e.map((x) => parseFloat(getComputedStyle(x).fontSize))),
    );
    expect(smallest).toBeGreaterThanOrEqual(18);
    // KINDLAB_SCREENSHOTS=docs/images keeps the pictures of the drawing (from its heading down).
    const shots = process.env.KINDLAB_SCREENSHOTS;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      // The recorded snapshot as it is, without the hostile pod.
      const clean = join(dir, `${topology}-clean.html`);
      writeFileSync(clean, await renderReport(loadSnapshot(topology), 'html', texts));
      await page().goto(pathToFileURL(clean).href);
      await page()
        .locator('.drawing-scroll')
        .evaluate((e) => e.previousElementSibling!.scrollIntoView());
      await page().screenshot({ path: join(shots, `report-${topology}.png`) });
    }
  });

  it('folds a pod group and opens it again', async () => {
    const group = page().locator('details[data-pod]').first();
    await group.locator('summary').click();
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await group.locator('summary').click();
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  });
});
