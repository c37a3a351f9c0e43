import { escapeHtml } from './escape-html.js';
import type { ReportModel } from './report-model.js';
import { groupByRole } from '../inspect/group-by-role.js';

/** Pill order inside a box: the api-server sits at the bottom of a control plane, kubelet on top of a worker. */
const CONTROL_PLANE_ORDER = [
  'etcd',
  'kube-scheduler',
  'kube-controller-manager',
  'containerd',
  'kubelet',
  'kube-proxy',
  'kindnetd',
  'flanneld',
  'coredns',
  'local-path-provisioner',
  'kube-apiserver',
];
const WORKER_ORDER = ['kubelet', 'kube-proxy', 'kindnetd', 'flanneld', 'containerd', 'coredns', 'local-path-provisioner'];

const BOX_WIDTH = 250;
const GAP = 36;
const PILL_HEIGHT = 22;
const PILL_STEP = 27;
const BOX_HEADER = 42;
const ROW_GAP = 90;
const MARGIN = 24;

interface Pill {
  component: string;
  x: number;
  y: number;
  width: number;
}
interface Box {
  name: string;
  role: string;
  x: number;
  y: number;
  height: number;
  pills: Pill[];
}

/** A self-contained SVG of the cluster: boxes per node with their components, arrows for who talks to whom. */
export function renderClusterDiagramSvg(model: ReportModel): string {
  const byRole = (role: string) => model.nodes.filter((n) => n.role === role);
  // The load balancer sits between control planes and workers, under the last control plane, so
  // worker -> LB -> api-server arrows stay short and do not cross other boxes.
  const rows = [byRole('external-etcd'), byRole('control-plane'), byRole('external-load-balancer'), byRole('worker')].filter((r) => r.length > 0);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = MARGIN * 2 + widest * BOX_WIDTH + (widest - 1) * GAP + 60;
  const boxes: Box[] = [];
  let y = MARGIN;
  for (const row of rows) {
    const rowWidth = row.length * BOX_WIDTH + (row.length - 1) * GAP;
    const lastControlPlane = boxes.filter((b) => b.role === 'control-plane').at(-1);
    let x = row[0]?.role === 'external-load-balancer' && lastControlPlane && row.length === 1 ? lastControlPlane.x : (width - rowWidth) / 2;
    let rowHeight = 0;
    for (const node of row) {
      const order = node.role === 'worker' ? WORKER_ORDER : CONTROL_PLANE_ORDER;
      const components = [...node.components].sort((a, b) => rank(order, a) - rank(order, b));
      const pills = components.map((component, i) => ({ component, x: x + 12, y: y + BOX_HEADER + i * PILL_STEP, width: BOX_WIDTH - 44 }));
      const height = BOX_HEADER + Math.max(1, pills.length) * PILL_STEP + 6;
      boxes.push({ name: node.name, role: node.role, x, y, height, pills });
      rowHeight = Math.max(rowHeight, height);
      x += BOX_WIDTH + GAP;
    }
    y += rowHeight + ROW_GAP;
  }
  const height = y - ROW_GAP + MARGIN + 10;

  const pill = (box: Box | undefined, component: string) => box?.pills.find((p) => p.component === component);
  const { controlPlanes, workers, loadBalancer, externalEtcd } = groupByRole(boxes);
  const apiEntry = loadBalancer
    ? { x: loadBalancer.x + BOX_WIDTH / 2, y: loadBalancer.y + loadBalancer.height }
    : anchorBottom(pill(controlPlanes[0], 'kube-apiserver'));

  const arrows: string[] = [];
  const line = (x1: number, y1: number, x2: number, y2: number, cls: string, title: string) =>
    arrows.push(
      `<line class="${cls}" x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" marker-end="url(#arrow-${cls})"><title>${escapeHtml(title)}</title></line>`,
    );
  const curve = (from: Pill, to: Pill, bulge: number, cls: string, title: string) => {
    const x1 = from.x + from.width;
    const y1 = from.y + PILL_HEIGHT / 2;
    const x2 = to.x + to.width;
    const y2 = to.y + PILL_HEIGHT / 2;
    arrows.push(
      `<path class="${cls}" d="M${r(x1)},${r(y1)} C${r(x1 + bulge)},${r(y1)} ${r(x2 + bulge)},${r(y2)} ${r(x2 + 2)},${r(y2)}" marker-end="url(#arrow-${cls})"><title>${escapeHtml(title)}</title></path>`,
    );
  };
  const text = model.communication;

  for (const worker of workers) {
    const kubelet = pill(worker, 'kubelet');
    const proxy = pill(worker, 'kube-proxy');
    if (apiEntry) {
      if (kubelet) line(kubelet.x + kubelet.width * 0.3, kubelet.y, apiEntry.x - 6, apiEntry.y + 4, 'to-api', text.workerToApiServer ?? '');
      if (proxy) line(proxy.x + proxy.width * 0.7, proxy.y, apiEntry.x + 6, apiEntry.y + 4, 'to-api', text.workerToApiServer ?? '');
    }
    const api = pill(controlPlanes[0], 'kube-apiserver');
    if (api && kubelet)
      line(api.x + api.width * 0.5, api.y + PILL_HEIGHT, kubelet.x + kubelet.width * 0.5, kubelet.y - 2, 'to-kubelet', text.apiServerToKubelet ?? '');
  }
  for (const cp of controlPlanes) {
    const api = pill(cp, 'kube-apiserver');
    if (!api) continue;
    const scheduler = pill(cp, 'kube-scheduler');
    const manager = pill(cp, 'kube-controller-manager');
    if (scheduler) curve(scheduler, api, 26, 'to-api', text.controllersToApiServer ?? '');
    if (manager) curve(manager, api, 16, 'to-api', text.controllersToApiServer ?? '');
    const etcd = pill(cp, 'etcd');
    if (etcd) curve(api, etcd, 40, 'to-etcd', text.apiServerToEtcd ?? '');
    if (externalEtcd)
      line(cp.x + BOX_WIDTH / 2, cp.y, externalEtcd.x + BOX_WIDTH / 2, externalEtcd.y + externalEtcd.height + 2, 'to-etcd', text.apiServerToEtcd ?? '');
    if (loadBalancer)
      line(loadBalancer.x + BOX_WIDTH * 0.7, loadBalancer.y, api.x + api.width * 0.6, api.y + PILL_HEIGHT + 2, 'from-lb', text.loadBalancerToApiServer ?? '');
  }

  const boxSvg = boxes.map((b) => {
    const pills = b.pills
      .map(
        (p) =>
          `<g class="pill c-${cssName(p.component)}"><rect x="${r(p.x)}" y="${r(p.y)}" width="${r(p.width)}" height="${PILL_HEIGHT}" rx="11"/><text x="${r(p.x + 10)}" y="${r(p.y + 15)}">${escapeHtml(p.component)}</text></g>`,
      )
      .join('');
    return `<g class="node role-${cssName(b.role)}"><rect x="${r(b.x)}" y="${r(b.y)}" width="${BOX_WIDTH}" height="${r(b.height)}" rx="8"/><text class="node-name" x="${r(b.x + 10)}" y="${r(b.y + 18)}">${escapeHtml(b.name)}</text><text class="node-role" x="${r(b.x + 10)}" y="${r(b.y + 33)}">${escapeHtml(b.role)}</text>${pills}</g>`;
  });

  const markers = ['to-api', 'to-kubelet', 'to-etcd', 'from-lb']
    .map(
      (cls) =>
        `<marker id="arrow-${cls}" class="m-${cls}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 ${r(width)} ${r(height)}" width="${r(width)}" height="${r(height)}" role="img" aria-label="${escapeHtml(model.title)}"><defs>${markers}</defs>${boxSvg.join('')}${arrows.join('')}</svg>`;
}

function anchorBottom(p: Pill | undefined): { x: number; y: number } | undefined {
  return p ? { x: p.x + p.width / 2, y: p.y + PILL_HEIGHT } : undefined;
}

function rank(order: string[], component: string): number {
  const index = order.indexOf(component);
  return index === -1 ? order.length - 0.5 : index;
}

function cssName(text: string): string {
  return text.replace(/[^a-z0-9-]/gi, '_');
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Mermaid text for Markdown (GitHub renders it). Labels are quoted; quotes inside are dropped. */
export function renderClusterDiagramMermaid(model: ReportModel): string {
  const id = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');
  const label = (text: string) => `"${text.replace(/["<>`]/g, '')}"`;
  const lines = ['flowchart TB'];
  for (const node of model.nodes) {
    lines.push(`  subgraph ${id(node.name)}[${label(`${node.name} (${node.role})`)}]`);
    for (const c of node.components) lines.push(`    ${id(node.name)}__${id(c)}[${label(c)}]`);
    if (node.components.length === 0) lines.push(`    ${id(node.name)}__empty[${label(node.role)}]`);
    lines.push('  end');
  }
  const { controlPlanes: cps, workers, loadBalancer: lb, externalEtcd: etcdNode } = groupByRole(model.nodes);
  const api = (n: { name: string }) => `${id(n.name)}__kube_apiserver`;
  const target = lb ? id(lb.name) : cps[0] ? api(cps[0]) : undefined;
  for (const w of workers) {
    if (target && w.components.includes('kubelet')) lines.push(`  ${id(w.name)}__kubelet --> ${target}`);
    if (target && w.components.includes('kube-proxy')) lines.push(`  ${id(w.name)}__kube_proxy --> ${target}`);
    if (cps[0] && w.components.includes('kubelet')) lines.push(`  ${api(cps[0])} -.-> ${id(w.name)}__kubelet`);
  }
  for (const cp of cps) {
    if (!cp.components.includes('kube-apiserver')) continue;
    if (cp.components.includes('kube-scheduler')) lines.push(`  ${id(cp.name)}__kube_scheduler --> ${api(cp)}`);
    if (cp.components.includes('kube-controller-manager')) lines.push(`  ${id(cp.name)}__kube_controller_manager --> ${api(cp)}`);
    if (cp.components.includes('etcd')) lines.push(`  ${api(cp)} --> ${id(cp.name)}__etcd`);
    if (etcdNode) lines.push(`  ${api(cp)} --> ${id(etcdNode.name)}`);
    if (lb) lines.push(`  ${id(lb.name)} --> ${api(cp)}`);
  }
  return lines.join('\n');
}
