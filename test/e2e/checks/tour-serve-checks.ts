/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callback of page.evaluate runs in the browser: it sees the page's DOM.
import { connect } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { doneIf, valueOrPending, waitUntil } from '../../../src/common/wait-until.js';
import { loadTourLab } from '../../../src/labs/load-tour-lab.js';
import type { HighlightTarget } from '../../../src/serve/live-view.js';
import { openBrowserPage } from '../../support/browser-page.js';
import type { LiveLabAccessor } from '../support/live-lab.js';
import { spawnLabInTerminal } from '../support/run-lab.js';
import { waitWhileRunning } from '../support/wait-while-running.js';

/** The prompt interactive `lab tour` shows once a step has started (and told the page about it). */
const PROMPT = '[Enter] run this demo   [q] quit';

/** What the page shows of the tour: the banner, and every element marked as highlighted, named by its data. */
interface TourOnPage {
  banner: string;
  touring: boolean;
  highlighted: string[];
  /** Highlighted elements that no target of the step names. */
  extra: string[];
  /** Per target of the step: how many elements it names on the page, and how many of them are highlighted. */
  targets: Array<{ target: string; matching: number; marked: number }>;
}

async function tourOnPage(page: Page, highlight: HighlightTarget[]): Promise<TourOnPage> {
  return page.evaluate((targets) => {
    const canvas = document.getElementById('canvas')!;
    const name = (e: Element): string => {
      const d = (e as HTMLElement).dataset ?? {};
      return d.node ?? d.pod ?? (d.kind ? `${d.kind}:${d.component ?? d.pid}` : (e.getAttribute('class') ?? e.tagName));
    };
    // The targets as the tour lab's schema defines them, read from the page's data attributes.
    const matching = (t: HighlightTarget): Element[] => {
      const all = (selector: string) => [...canvas.querySelectorAll(selector)];
      if (t.component) return all(`[data-component="${t.component}"]`);
      if (t.kind) return all(`[data-kind="${t.kind}"]`);
      if (t.role) return all(`[data-node].node-${t.role}`);
      if (t.arrow) return all(`path.arrow-${t.arrow}`);
      return all('[data-pod]').filter((e) => ((e as HTMLElement).dataset.pod ?? '').split('/')[1]?.startsWith(t.pod ?? '\0'));
    };
    const named = new Set(targets.flatMap(matching));
    const highlighted = [...canvas.querySelectorAll('.highlight')];
    return {
      banner: document.getElementById('tour')?.hidden === false ? (document.getElementById('tour')?.textContent ?? '') : '',
      touring: canvas.classList.contains('touring'),
      highlighted: highlighted.map(name).sort(),
      extra: highlighted.filter((e) => !named.has(e)).map(name),
      targets: targets.map((t) => {
        const found = matching(t);
        return { target: JSON.stringify(t), matching: found.length, marked: found.filter((e) => e.classList.contains('highlight')).length };
      }),
    };
  }, highlight);
}

/** The port refuses connections (the server is gone), rather than answering or timing out. */
function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() && false));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * `lab tour --serve` as an instructor runs it: on a terminal, one key per step, with the page open in
 * Debian's chromium. Three steps are enough to see the highlight move (nodes, then a node's shims and
 * pauses, then the control-plane components); then [q] ends the tour and its server.
 */
export function registerTourServeChecks(getLab: LiveLabAccessor): void {
  describe('lab tour --serve', () => {
    const tourLab = loadTourLab('architecture');
    const steps = tourLab.chapters.slice(0, 3).map((chapter, c) => ({ chapter, step: chapter.steps[0]!, number: `${c + 1}.1` }));

    it('highlights on the live page what each step talks about, then stops its server with the tour', async () => {
      const lab = getLab();
      const tour = spawnLabInTerminal(['tour', lab.name, '--lab', 'architecture', '--serve']);
      let printed = '';
      tour.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const prompts = () => printed.split(PROMPT).length - 1;
      const browser = await openBrowserPage();
      try {
        const url = await waitWhileRunning(
          tour,
          async () => valueOrPending(/live page of the tour at (http:\/\/\S+)/.exec(printed)?.[1], printed.slice(-2000)),
          {
            what: 'lab tour --serve to print its URL',
            timeoutMs: 120_000,
            intervalMs: 250,
          },
        );
        expect(new URL(url).hostname).toBe('127.0.0.1');
        expect(new URL(url).searchParams.get('token')).toMatch(/\S{16,}/);
        await browser.page.goto(url);
        const seen: TourOnPage[] = [];
        for (const [i, { chapter, step, number }] of steps.entries()) {
          await waitWhileRunning(tour, async () => doneIf(prompts() > i, printed.slice(-2000)), {
            what: `the tour to prompt for step ${number}`,
            timeoutMs: 180_000,
            intervalMs: 250,
          });
          // Every element each target names is marked, nothing else is, and the banner names the step.
          const shown = await waitWhileRunning(
            tour,
            async () => {
              const now = await tourOnPage(browser.page, step.highlight);
              const right =
                now.banner === `${number} ${chapter.title}: ${step.title}` &&
                now.touring &&
                now.targets.some((t) => t.matching > 0) &&
                now.targets.every((t) => t.marked === t.matching) &&
                now.extra.length === 0;
              return valueOrPending(right ? now : undefined, JSON.stringify(now));
            },
            { what: `the page to highlight what step ${number} talks about`, timeoutMs: 60_000, intervalMs: 250 },
          );
          seen.push(shown);
          tour.stdin?.write(i < steps.length - 1 ? '\r' : 'q');
        }
        const [nodes, services, controlPlane] = seen as [TourOnPage, TourOnPage, TourOnPage];
        expect(nodes.highlighted).toEqual([...lab.controlPlaneContainers, ...lab.workerContainers].sort());
        expect(services.highlighted).toEqual(expect.arrayContaining([expect.stringMatching(/^shim:/), expect.stringMatching(/^pause:/)]));
        expect(services.highlighted).not.toContain('container:kube-apiserver');
        expect(controlPlane.highlighted).toEqual(expect.arrayContaining(['container:kube-apiserver', 'container:etcd']));
        expect(controlPlane.highlighted.filter((h) => /^(shim|pause):/.test(h))).toEqual([]);
        await waitUntil(async () => doneIf(tour.exitCode !== null, printed.slice(-2000)), {
          what: 'the tour to end after [q]',
          timeoutMs: 120_000,
          intervalMs: 250,
        });
        const done = await tour;
        expect({ exitCode: done.exitCode, signal: done.signal }, printed.slice(-3000)).toEqual({ exitCode: 0, signal: undefined });
        expect(await portRefuses(Number(new URL(url).port))).toBe(true);
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
        tour.kill('SIGKILL');
      }
    }, 600_000);
  });
}
