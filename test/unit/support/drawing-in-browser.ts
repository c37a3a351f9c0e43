/**
 * Reads a lab's drawing (the live page's or the static report's: the same markup) in Debian's
 * chromium (test/support/browser-page.ts).
 */
import type { Page } from 'playwright-core';
import type { Snapshot } from '../../../src/inspect/snapshot.js';

export { CHROMIUM, openBrowserPage, type BrowserPage } from '../../support/browser-page.js';

export interface DrawnNode {
  shims: number[];
  pauses: number[];
  pods: string[];
}

/** Per node box: the pids of the shims and pauses drawn in its pod groups, and its pod groups (`namespace/name`). */
export function drawnNodes(page: Page): Promise<Record<string, DrawnNode>> {
  return page.$$eval('[data-node]', (boxes) =>
    Object.fromEntries(
      boxes.map((box) => {
        const pids = (kind: string) =>
          [...box.querySelectorAll<HTMLElement>(`[data-pod] [data-kind="${kind}"]`)].map((p) => Number(p.dataset.pid)).sort((a, b) => a - b);
        const pods = [...box.querySelectorAll<HTMLElement>('[data-pod]')].map((p) => p.dataset.pod!).sort();
        return [(box as HTMLElement).dataset.node!, { shims: pids('shim'), pauses: pids('pause'), pods }];
      }),
    ),
  );
}

/** What the drawing must show per node: every shim and pause joined to a pod, and every pod of the node. */
export function expectedNodes(snapshot: Snapshot): Record<string, DrawnNode> {
  return Object.fromEntries(
    snapshot.nodes.map((n) => {
      const pids = (kind: string) =>
        n.processes
          .filter((p) => p.identity.kind === kind && p.identity.pod)
          .map((p) => p.pid)
          .sort((a, b) => a - b);
      const pods = new Set(n.processes.flatMap((p) => (p.identity.pod ? [`${p.identity.pod.namespace}/${p.identity.pod.name}`] : [])));
      for (const pod of snapshot.kubernetes.pods) if (pod.nodeName === n.name) pods.add(`${pod.namespace}/${pod.name}`);
      return [n.name, { shims: pids('shim'), pauses: pids('pause'), pods: [...pods].sort() }];
    }),
  );
}

export interface DrawingFlaws {
  /** Pod names, process names and chips whose text is cut off. */
  truncated: string[];
  /** Pod groups reaching outside their node box, node boxes overlapping. */
  overlaps: string[];
  /** Arrows passing over a pod group. */
  crossings: string[];
}

/** Looks for what makes a projected drawing hard to read: cut text, boxes over boxes, arrows over pods. */
export function drawingFlaws(page: Page): Promise<DrawingFlaws> {
  return page.evaluate(() => {
    const truncated: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>('.pod-name, .proc .name, .chip, .node-name')) {
      const box = e.classList.contains('name') ? e.parentElement! : e;
      if (e.scrollWidth > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1) truncated.push(e.textContent ?? '');
    }
    const rect = (e: Element) => e.getBoundingClientRect();
    const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    const meet = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const overlaps: string[] = [];
    const nodes = [...document.querySelectorAll<HTMLElement>('[data-node]')];
    for (const node of nodes) {
      for (const pod of node.querySelectorAll<HTMLElement>('[data-pod]'))
        if (!inside(rect(pod), rect(node))) overlaps.push(`${pod.dataset.pod} outside ${node.dataset.node}`);
      for (const other of nodes) if (other !== node && meet(rect(node), rect(other))) overlaps.push(`${node.dataset.node} over ${other.dataset.node}`);
    }
    const crossings: string[] = [];
    const pods = [...document.querySelectorAll<HTMLElement>('[data-pod]')].map((p) => ({ name: p.dataset.pod!, r: rect(p) }));
    for (const path of document.querySelectorAll<SVGPathElement>('path.arrow')) {
      const matrix = path.getScreenCTM()!;
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 4) {
        const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(matrix);
        const hit = pods.find(({ r }) => p.x > r.left && p.x < r.right && p.y > r.top && p.y < r.bottom);
        if (hit) {
          crossings.push(`${path.querySelector('title')?.textContent ?? ''} crosses ${hit.name}`);
          break;
        }
      }
    }
    return { truncated, overlaps, crossings };
  });
}
