import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/paths.js';
import type { Snapshot } from '../inspect/snapshot.js';
import { buildLiveView } from '../serve/build-live-view.js';
import { layoutLabDrawing, podNotes, type ElkLike, podRows, shortName, type PlacedChip, type PlacedNode } from '../serve/browser/lab-drawing-layout.js';
import type { LiveProcess } from '../serve/live-view.js';
import type { Annotations } from './annotations.js';
import { elkInWorker } from './elk-in-worker.js';
import { escapeHtml as e } from './escape-html.js';

/** The width the static drawing is laid out for: a 1920-pixel screen less the page's margins. */
export const STATIC_DRAWING_ROOM = 1860;
/** Where the report links a node's box to: its process tree section. */
export const nodeSectionId = (node: string) => `node-${node}`;

/** The drawing's CSS, shared with the live page (templates/serve/drawing.css); the report inlines it. */
export function drawingCss(): string {
  return readFileSync(join(projectRoot(), 'templates', 'serve', 'drawing.css'), 'utf8');
}

/**
 * The live page's drawing as static HTML, laid out at capture time (ELK in Node): nothing runs in the
 * reader's browser. Pod groups are `<details>` that fold; node names link to their process tree.
 */
export async function renderLabDrawingHtml(snapshot: Snapshot, texts: Annotations, elk: ElkLike = elkInWorker()): Promise<string> {
  const view = buildLiveView(snapshot, texts);
  const drawing = await layoutLabDrawing(view, elk, STATIC_DRAWING_ROOM);
  const px = (n: number) => `${Math.round(n)}px`;
  const markers = ['kube-apiserver', 'haproxy', 'etcd', 'kubelet', 'other']
    .map(
      (t) =>
        `<marker id="head-${t}" class="arrow-head-${t}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    )
    .join('');
  const arrows = drawing.arrows.map((a) => {
    const head = ['kube-apiserver', 'haproxy', 'etcd', 'kubelet'].includes(a.target) ? a.target : 'other';
    return `<path class="arrow arrow-${e(a.target)}" d="${e(a.d)}" marker-end="url(#head-${head})"><title>${e(`${a.link.from} → ${a.link.to}: ${a.link.label}`)}</title></path>`;
  });
  const svg = `<svg class="lab-arrows" xmlns="http://www.w3.org/2000/svg" width="${Math.round(drawing.width)}" height="${Math.round(drawing.height)}" aria-hidden="true"><defs>${markers}</defs>${arrows.join('')}</svg>`;
  return `<div class="lab-drawing" style="width:${px(drawing.width)};height:${px(drawing.height)}">${svg}${drawing.nodes.map((n) => nodeHtml(n, px)).join('')}</div>`;
}

/** Positions inside a node are from its outer corner; CSS places absolute children inside the 3-pixel border. */
const BORDER = 3;

function nodeHtml(placed: PlacedNode, px: (n: number) => string): string {
  const { node } = placed;
  const chip = (c: PlacedChip, cls: string) => {
    const attrs = [
      `class="chip ${cls}"`,
      `style="left:${px(c.x - BORDER)};top:${px(c.y - BORDER)};width:${px(c.width)}"`,
      c.anchor ? `data-anchor="${e(c.anchor)}"` : '',
      c.process ? processAttributes(c.process) : c.component ? `data-component="${e(c.component)}"` : '',
    ];
    return `<div ${attrs.filter(Boolean).join(' ')}>${e(c.label)}</div>`;
  };
  const columns = placed.columns.map((column) => {
    const pods = column.pods.map(({ pod }) => {
      const cls = `pod${pod.shim ? '' : ' pod-pending'}${pod.static ? ' pod-static' : ''}`;
      const notes = podNotes(pod).map((note) => `<div class="pod-note" title="${e(note)}">${e(note)}</div>`);
      const rows = notes.join('') + podRows(pod).map(processHtml).join('');
      return `<details class="${cls}" open data-pod="${e(`${pod.namespace}/${pod.name}`)}"><summary class="pod-title"><span class="pod-name">${e(pod.name)}</span><span class="pod-ns">${e(pod.namespace)}${pod.shim ? '' : ` · ${e(pod.phase || 'Pending')}`}</span></summary>${rows}</details>`;
    });
    return `<div class="pod-column" style="left:${px(column.x - BORDER)};top:${px(placed.podsTop - BORDER)};width:${px(column.width)}">${pods.join('')}</div>`;
  });
  return [
    `<div class="node node-${e(node.role)}" data-node="${e(node.name)}" style="left:${px(placed.x)};top:${px(placed.y)};width:${px(placed.width)};height:${px(placed.height)}">`,
    `<div class="node-head"><a class="node-name" href="#${e(nodeSectionId(node.name))}">${e(node.name)}</a><span class="node-role">${e(node.role)}</span></div>`,
    ...placed.services.map((c) => chip(c, 'chip-service')),
    ...placed.components.map((c) => chip(c, 'chip-component')),
    ...columns,
    '</div>',
  ].join('');
}

/** The same data attributes as the live page's processes: pid, kind, component; the annotation and command line as the tooltip. */
function processAttributes(p: LiveProcess): string {
  const component = p.component ? ` data-component="${e(p.component)}"` : '';
  return `data-pid="${p.pid}" data-kind="${e(p.kind)}"${component} title="${e(`${p.annotation}\n${p.args}`)}"`;
}

function processHtml(p: LiveProcess): string {
  return `<div class="proc proc-${e(p.kind)}" ${processAttributes(p)}><span class="pid">${p.pid}</span><span class="name">${e(shortName(p))}</span></div>`;
}
