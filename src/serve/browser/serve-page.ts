// The page of `lab serve`: draws the lab from the server-sent events. Everything from the cluster
// goes into the page as textContent (never innerHTML), and the page runs under a CSP without inline
// script or eval. ELK (elkjs, loaded as /assets/elk.js) places the node boxes; arrows are drawn
// between the components' boxes afterwards.
import type { ControllerEvent, LiveNode, LivePod, LiveProcess, LiveView } from '../live-view.js';

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNode[];
  edges?: Array<{ id: string; sources: string[]; targets: string[] }>;
}
declare const ELK: new () => { layout(graph: ElkNode): Promise<ElkNode> };

const lab = document.body.dataset.lab ?? '';
const boxes = byId('boxes');
const arrows = byId('arrows') as unknown as SVGSVGElement;
const canvas = byId('canvas');
const elk = new ELK();
const SVG = 'http://www.w3.org/2000/svg';
/** Layers of the drawing, top to bottom: the load balancer, the control planes, then workers and external etcd. */
const LAYER: Record<LiveNode['role'], number> = { 'external-load-balancer': 0, 'control-plane': 1, worker: 2, 'external-etcd': 2 };
const MAX_EVENTS = 100;

let latest: LiveView | undefined;
let drawing = false;

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

/** The short name of a process: its component, else its program's file name. */
function shortName(p: LiveProcess): string {
  if (p.component) return p.component;
  const program = p.args.split(' ')[0] ?? '';
  return program.slice(program.lastIndexOf('/') + 1) || p.args;
}

function processRow(p: LiveProcess, node: string): HTMLElement {
  const row = el('div', `proc proc-${p.kind}`);
  row.dataset.pid = String(p.pid);
  row.dataset.kind = p.kind;
  if (p.component) row.dataset.component = p.component;
  if (p.kind === 'system' && p.component) row.dataset.anchor = `${node}/${p.component}`;
  row.append(el('span', 'pid', String(p.pid)), el('span', 'name', p.kind === 'shim' ? 'containerd-shim-runc-v2' : shortName(p)));
  row.title = p.annotation;
  row.addEventListener('click', (event) => {
    event.stopPropagation();
    showProcess(p, node);
  });
  return row;
}

function podGroup(pod: LivePod, node: string): HTMLElement {
  const group = el('div', `pod${pod.shim ? '' : ' pod-pending'}${pod.static ? ' pod-static' : ''}`);
  group.dataset.pod = `${pod.namespace}/${pod.name}`;
  const main = pod.processes.find((p) => p.component === 'kube-apiserver' || p.component === 'etcd');
  if (main?.component) group.dataset.anchor = `${node}/${main.component}`;
  const title = el('div', 'pod-title');
  title.append(el('span', 'pod-name', pod.name), el('span', 'pod-ns', pod.namespace));
  if (!pod.shim) title.append(el('span', 'pod-phase', pod.phase || 'Pending'));
  group.append(title);
  for (const p of [pod.shim, pod.pause, ...pod.processes]) if (p) group.append(processRow(p, node));
  for (const [key, value] of Object.entries(pod.annotations)) {
    if (!key.includes('kubernetes.io/')) group.append(el('div', 'pod-annotation', `${key}: ${value}`));
  }
  group.addEventListener('click', () => void showPod(pod));
  return group;
}

function nodeBox(node: LiveNode): HTMLElement {
  const box = el('div', `node node-${node.role}`);
  box.dataset.node = node.name;
  const head = el('div', 'node-head');
  head.append(el('span', 'node-name', node.name), el('span', 'node-role', node.role));
  box.append(head);
  if (node.services.length > 0) {
    const services = el('div', 'services');
    for (const p of node.services) services.append(processRow(p, node.name));
    box.append(services);
  } else {
    const components = el('div', 'services');
    for (const c of node.components) {
      const chip = el('div', 'proc proc-component', c);
      chip.dataset.anchor = `${node.name}/${c}`;
      components.append(chip);
    }
    box.append(components);
  }
  const pods = el('div', 'pods');
  for (const pod of node.pods) pods.append(podGroup(pod, node.name));
  if (node.pods.length > 0) box.append(pods);
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

  const fresh = view.nodes.map(nodeBox);
  // Kubernetes nodes share the width of the widest layer; the drawing scales down only when that is not enough.
  const room = byId('drawing').clientWidth;
  const perLayer = Math.max(1, ...[1, 2].map((layer) => view.nodes.filter((n) => LAYER[n.role] === layer).length));
  const nodeWidth = Math.max(420, Math.min(1400, Math.floor((room - 40 * (perLayer + 1)) / perLayer)));
  view.nodes.forEach((n, i) => {
    if (n.role === 'control-plane' || n.role === 'worker') fresh[i]!.style.width = `${nodeWidth}px`;
  });
  boxes.replaceChildren(...fresh);
  const sizes = fresh.map((b) => ({ width: b.offsetWidth, height: b.offsetHeight }));
  const graph: ElkNode = {
    id: 'lab',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.partitioning.activate': 'true',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children: view.nodes.map((n, i) => ({ id: n.name, ...sizes[i], layoutOptions: { 'elk.partitioning.partition': String(LAYER[n.role]) } })),
    edges: nodeEdges(view),
  };
  const placed = await elk.layout(graph);
  let width = 0;
  let height = 0;
  for (const child of placed.children ?? []) {
    const box = fresh[view.nodes.findIndex((n) => n.name === child.id)];
    if (!box) continue;
    box.style.left = `${child.x ?? 0}px`;
    box.style.top = `${child.y ?? 0}px`;
    width = Math.max(width, (child.x ?? 0) + (child.width ?? 0) + 20);
    height = Math.max(height, (child.y ?? 0) + (child.height ?? 0) + 20);
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.style.transform = width > room ? `scale(${room / width})` : '';
  drawArrows(view);
}

/** The links between different node boxes, each pointing from the upper layer to the lower one (as ELK layers them). */
function nodeEdges(view: LiveView): NonNullable<ElkNode['edges']> {
  const layerOf = new Map(view.nodes.map((n) => [n.name, LAYER[n.role]]));
  const seen = new Set<string>();
  const edges: NonNullable<ElkNode['edges']> = [];
  for (const link of view.links) {
    let [a, b] = [link.from.split('/')[0]!, link.to.split('/')[0]!];
    if (a === b) continue;
    if ((layerOf.get(a) ?? 0) > (layerOf.get(b) ?? 0)) [a, b] = [b, a];
    if (seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    edges.push({ id: `e${edges.length}`, sources: [a], targets: [b] });
  }
  return edges;
}

/** Arrows between the components' boxes, in canvas coordinates (before the canvas' scale). */
function drawArrows(view: LiveView): void {
  const origin = canvas.getBoundingClientRect();
  const scale = origin.width / (canvas.offsetWidth || 1);
  arrows.setAttribute('width', String(canvas.offsetWidth));
  arrows.setAttribute('height', String(canvas.offsetHeight));
  const defs = document.createElementNS(SVG, 'defs');
  const marker = document.createElementNS(SVG, 'marker');
  for (const [k, v] of Object.entries({
    id: 'head',
    viewBox: '0 0 10 10',
    refX: '9',
    refY: '5',
    markerWidth: '7',
    markerHeight: '7',
    orient: 'auto-start-reverse',
  }))
    marker.setAttribute(k, v);
  const tip = document.createElementNS(SVG, 'path');
  tip.setAttribute('d', 'M0,0 L10,5 L0,10 z');
  marker.append(tip);
  defs.append(marker);
  const paths: SVGElement[] = [defs];
  for (const link of view.links) {
    const from = document.querySelector<HTMLElement>(`[data-anchor="${CSS.escape(link.from)}"]`);
    const to = document.querySelector<HTMLElement>(`[data-anchor="${CSS.escape(link.to)}"]`);
    if (!from || !to) continue;
    const a = centre(from.getBoundingClientRect(), origin, scale);
    const b = centre(to.getBoundingClientRect(), origin, scale);
    const bend = Math.max(60, Math.abs(b.x - a.x) / 3);
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', `M${a.x},${a.y} C${a.x + bend},${a.y} ${b.x + bend},${b.y} ${b.x},${b.y}`);
    path.setAttribute('class', `arrow arrow-${link.to.split('/')[1] ?? ''}`);
    path.setAttribute('marker-end', 'url(#head)');
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${link.from} → ${link.to}: ${link.label}`;
    path.append(title);
    paths.push(path);
  }
  arrows.replaceChildren(...paths);
}

function centre(rect: DOMRect, origin: DOMRect, scale: number): { x: number; y: number } {
  return { x: (rect.right - origin.left) / scale, y: (rect.top + rect.height / 2 - origin.top) / scale };
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
source.addEventListener('controller', (message) => addEvent(JSON.parse((message as MessageEvent<string>).data) as ControllerEvent));
source.addEventListener('controller-history', (message) => {
  byId('controller-events').replaceChildren();
  for (const event of JSON.parse((message as MessageEvent<string>).data) as ControllerEvent[]) addEvent(event);
});
source.addEventListener('failure', (message) => (status.textContent = (JSON.parse((message as MessageEvent<string>).data) as { message: string }).message));
window.addEventListener('resize', () => void redraw());
