// The page of `lab serve`: draws the lab from the server-sent events. Everything from the cluster
// goes into the page as textContent (never innerHTML), and the page runs under a CSP without inline
// script or eval. The geometry comes from lab-drawing-layout.js, the same code that lays out the
// static HTML report (ELK, loaded as /assets/elk.js, places the node boxes).
import type { ControllerEvent, HighlightTarget, LivePod, LiveProcess, LiveView, TourFocus } from '../live-view.js';
import { layoutLabDrawing, podNotes, podRows, shortName, type ElkLike, type PlacedChip, type PlacedNode } from './lab-drawing-layout.js';

declare const ELK: new () => ElkLike;

const lab = document.body.dataset.lab ?? '';
const boxes = byId('boxes');
const arrows = byId('arrows') as unknown as SVGSVGElement;
const canvas = byId('canvas');
const elk = new ELK();
const SVG = 'http://www.w3.org/2000/svg';
const MAX_EVENTS = 100;
/** Positions inside a node are from its outer corner; CSS places absolute children inside the 3-pixel border. */
const BORDER = 3;
const ARROW_HEADS = ['kube-apiserver', 'haproxy', 'etcd', 'kubelet'];

let latest: LiveView | undefined;
let drawing = false;
let focus: TourFocus | undefined;

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function place(e: HTMLElement, at: { x: number; y: number; width?: number; height?: number }, inside = 0): void {
  e.style.left = `${Math.round(at.x - inside)}px`;
  e.style.top = `${Math.round(at.y - inside)}px`;
  if (at.width !== undefined) e.style.width = `${Math.round(at.width)}px`;
  if (at.height !== undefined) e.style.height = `${Math.round(at.height)}px`;
}

function describeProcess(target: HTMLElement, p: LiveProcess, node: string): void {
  target.dataset.pid = String(p.pid);
  target.dataset.kind = p.kind;
  if (p.component) target.dataset.component = p.component;
  target.title = p.annotation;
  target.addEventListener('click', (event) => {
    event.stopPropagation();
    showProcess(p, node);
  });
}

function processRow(p: LiveProcess, node: string): HTMLElement {
  const row = el('div', `proc proc-${p.kind}`);
  row.append(el('span', 'pid', String(p.pid)), el('span', 'name', shortName(p)));
  describeProcess(row, p, node);
  return row;
}

function chip(c: PlacedChip, className: string, node: string): HTMLElement {
  const e = el('div', `chip ${className}`, c.label);
  place(e, { x: c.x, y: c.y, width: c.width }, BORDER);
  if (c.process) describeProcess(e, c.process, node);
  if (c.anchor) e.dataset.anchor = c.anchor;
  if (c.component) e.dataset.component = c.component;
  return e;
}

function podGroup(pod: LivePod, node: string): HTMLElement {
  const group = el('div', `pod${pod.shim ? '' : ' pod-pending'}${pod.static ? ' pod-static' : ''}`);
  group.dataset.pod = `${pod.namespace}/${pod.name}`;
  const title = el('div', 'pod-title');
  title.append(el('span', 'pod-name', pod.name), el('span', 'pod-ns', pod.shim ? pod.namespace : `${pod.namespace} · ${pod.phase || 'Pending'}`));
  const notes = podNotes(pod).map((note) => {
    const line = el('div', 'pod-note', note);
    line.title = note;
    return line;
  });
  group.append(title, ...notes, ...podRows(pod).map((p) => processRow(p, node)));
  group.addEventListener('click', () => void showPod(pod));
  return group;
}

function nodeBox(placed: PlacedNode): HTMLElement {
  const { node } = placed;
  const box = el('div', `node node-${node.role}`);
  box.dataset.node = node.name;
  place(box, placed);
  const head = el('div', 'node-head');
  head.append(el('span', 'node-name', node.name), el('span', 'node-role', node.role));
  box.append(head, ...placed.services.map((c) => chip(c, 'chip-service', node.name)), ...placed.components.map((c) => chip(c, 'chip-component', node.name)));
  for (const column of placed.columns) {
    const e = el('div', 'pod-column');
    place(e, { x: column.x, y: placed.podsTop, width: column.width }, BORDER);
    e.append(...column.pods.map(({ pod }) => podGroup(pod, node.name)));
    box.append(e);
  }
  return box;
}

async function draw(view: LiveView): Promise<void> {
  byId('shape').textContent =
    `${view.topology.controlPlanes} control plane(s), ${view.topology.workers} worker(s)${view.topology.loadBalancer ? ', load balancer' : ''}${view.topology.externalEtcd ? ', external etcd' : ''}`;
  byId('captured').textContent = view.capturedAt;
  byId('captured').dataset.capturedAt = view.capturedAt;
  const warnings = byId('warnings');
  warnings.hidden = view.warnings.length === 0;
  byId('warning-list').replaceChildren(...view.warnings.map((w) => el('li', '', w)));

  const room = byId('drawing').clientWidth;
  const laid = await layoutLabDrawing(view, elk, room);
  boxes.replaceChildren(...laid.nodes.map(nodeBox));
  canvas.style.width = `${Math.round(laid.width)}px`;
  canvas.style.height = `${Math.round(laid.height)}px`;
  // Wider than the window only when a layer does not fit at the readable size: then it scales down.
  canvas.style.transform = laid.width > room ? `scale(${room / laid.width})` : '';
  arrows.setAttribute('width', String(Math.round(laid.width)));
  arrows.setAttribute('height', String(Math.round(laid.height)));
  const defs = document.createElementNS(SVG, 'defs');
  for (const target of [...ARROW_HEADS, 'other']) {
    const marker = document.createElementNS(SVG, 'marker');
    const attrs = { id: `head-${target}`, class: `arrow-head-${target}`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '5', markerHeight: '5' };
    for (const [k, v] of Object.entries({ ...attrs, orient: 'auto-start-reverse' })) marker.setAttribute(k, v);
    const tip = document.createElementNS(SVG, 'path');
    tip.setAttribute('d', 'M0,0 L10,5 L0,10 z');
    marker.append(tip);
    defs.append(marker);
  }
  const paths = laid.arrows.map((a) => {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', a.d);
    path.setAttribute('class', `arrow arrow-${a.target}`);
    path.setAttribute('marker-end', `url(#head-${ARROW_HEADS.includes(a.target) ? a.target : 'other'})`);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${a.link.from} → ${a.link.to}: ${a.link.label}`;
    path.append(title);
    return path;
  });
  arrows.replaceChildren(defs, ...paths);
  highlight();
}

/** The elements a tour's highlight target names (the data comes from the tour's lab file). */
function targets(t: HighlightTarget): Element[] {
  const all = (selector: string) => [...canvas.querySelectorAll(selector)];
  if (t.component) return all(`[data-component="${CSS.escape(t.component)}"]`);
  if (t.kind) return all(`[data-kind="${CSS.escape(t.kind)}"]`);
  if (t.pod) return all('[data-pod]').filter((e) => ((e as HTMLElement).dataset.pod ?? '').split('/')[1]?.startsWith(t.pod!));
  if (t.role) return all(`.node-${CSS.escape(t.role)}`);
  if (t.arrow) return all(`path.arrow-${CSS.escape(t.arrow)}`);
  return [];
}

/** Marks what the running tour step talks about, and dims the rest of the drawing. */
function highlight(): void {
  for (const e of canvas.querySelectorAll('.highlight')) e.classList.remove('highlight');
  canvas.classList.toggle('touring', focus !== undefined && focus.highlight.length > 0);
  const banner = byId('tour');
  banner.hidden = focus === undefined;
  banner.textContent = focus ? `${focus.number} ${focus.chapter}: ${focus.step}` : '';
  for (const t of focus?.highlight ?? []) for (const e of targets(t)) e.classList.add('highlight');
}

function showDetail(text: string): void {
  byId('detail-hint').hidden = true;
  byId('detail-text').textContent = text;
}

function showProcess(p: LiveProcess, node: string): void {
  showDetail(
    [`pid ${p.pid} (parent ${p.ppid}) on ${node}`, p.pod ? `pod ${p.pod}` : 'no pod', p.container ? `container ${p.container}` : '', p.annotation, '', p.args]
      .filter((line, i) => line !== '' || i === 4)
      .join('\n'),
  );
}

async function showPod(pod: LivePod): Promise<void> {
  const response = await fetch(`/lab/${encodeURIComponent(lab)}/pod/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`);
  showDetail(response.ok ? await response.text() : `${pod.namespace}/${pod.name}: ${response.status} ${await response.text()}`);
}

function addEvent(event: ControllerEvent): void {
  const list = byId('controller-events');
  const item = el('li', `event event-${event.reason}`);
  item.dataset.reason = event.reason;
  item.dataset.time = event.time;
  item.append(
    el('span', 'event-time', event.time.slice(11, 19)),
    el('span', 'event-reason', event.reason),
    el('span', 'event-object', `${event.kind} ${event.object}`),
    el('span', 'event-message', event.message),
  );
  // Newest first; the watch replays older events in no particular order, so each goes where its time says.
  const later = [...list.children].find((li) => ((li as HTMLElement).dataset.time ?? '') <= event.time);
  list.insertBefore(item, later ?? null);
  while (list.children.length > MAX_EVENTS) list.lastElementChild?.remove();
}

/** Draws the newest view; views that arrive while ELK works are coalesced into one more drawing. */
async function redraw(): Promise<void> {
  if (drawing) return;
  drawing = true;
  try {
    while (latest) {
      const view = latest;
      latest = undefined;
      await draw(view);
    }
  } finally {
    drawing = false;
  }
}

const source = new EventSource(`/lab/${encodeURIComponent(lab)}/events`);
const status = byId('status');
source.addEventListener('open', () => (status.textContent = 'live'));
source.addEventListener('error', () => (status.textContent = 'reconnecting…'));
source.addEventListener('view', (message) => {
  latest = JSON.parse((message as MessageEvent<string>).data) as LiveView;
  void redraw();
});
source.addEventListener('tour', (message) => {
  focus = JSON.parse((message as MessageEvent<string>).data) as TourFocus;
  highlight();
});
source.addEventListener('controller', (message) => addEvent(JSON.parse((message as MessageEvent<string>).data) as ControllerEvent));
source.addEventListener('controller-history', (message) => {
  byId('controller-events').replaceChildren();
  for (const event of JSON.parse((message as MessageEvent<string>).data) as ControllerEvent[]) addEvent(event);
});
source.addEventListener('failure', (message) => (status.textContent = (JSON.parse((message as MessageEvent<string>).data) as { message: string }).message));
window.addEventListener('resize', () => void redraw());
