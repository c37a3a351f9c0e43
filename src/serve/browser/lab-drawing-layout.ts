// The geometry of a lab's drawing, shared by the live page (in the browser, ELK loaded as a script)
// and the static HTML report (in Node, elkjs imported): both draw from the same boxes and arrows.
// No DOM and no Node here. Sizes are computed, not measured: every text that decides a width is set
// in DejaVu Sans Mono, whose advance is 0.602 em, and every row has a fixed height in
// templates/serve/drawing.css, so the static report needs no script to lay itself out.
import type { LiveLink, LiveNode, LivePod, LiveProcess, LiveView } from '../live-view.js';

export interface ElkGraphNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraphNode[];
  edges?: ElkGraphEdge[];
}
export interface ElkGraphEdge {
  id: string;
  sources: string[];
  targets: string[];
  /** Filled in by ELK: the route, with a bend point where the edge passes a layer in between. */
  sections?: Array<{ bendPoints?: Array<{ x: number; y: number }> }>;
}
/** elkjs' ELK, in Node and in the browser alike. */
export interface ElkLike {
  layout(graph: ElkGraphNode): Promise<ElkGraphNode>;
}

/** Pixel sizes; templates/serve/drawing.css sets the same numbers. */
export const METRICS = {
  /** Advance of one character of DejaVu Sans Mono at 18 px: large enough for a projected wall. */
  char: 18 * 0.602,
  row: 27,
  podTitle: 28,
  podNamespace: 22,
  /** Border plus padding of a pod group, each side. */
  podFrame: 6,
  podGap: 10,
  nodeFrame: 13,
  nodeHead: 38,
  chip: 32,
  chipGap: 8,
  stripGap: 8,
  nodeGap: 48,
  layerGap: 110,
  margin: 24,
  /** Room below the lowest boxes for the arcs between components of one node. */
  arcRoom: 70,
  /** The widest pod column, in characters; longer pod names wrap onto a second title line. */
  maxColumnChars: 50,
};

/** Layers of the drawing, top to bottom: control planes, then the load balancer, then workers and external etcd. */
export const LAYER: Record<LiveNode['role'], number> = { 'control-plane': 0, 'external-load-balancer': 1, worker: 2, 'external-etcd': 2 };
/** The components that carry the arrows, named on every node that runs them (the others are named in their pod groups). */
const STRIP_COMPONENTS = ['kube-apiserver', 'etcd', 'kubelet'];

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedChip extends Placed {
  label: string;
  process?: LiveProcess;
  /** `<node>/<component>`, for the arrows. */
  anchor?: string;
  component?: string;
}
export interface PodColumn {
  x: number;
  width: number;
  pods: Array<{ pod: LivePod; height: number }>;
}
export interface PlacedNode extends Placed {
  node: LiveNode;
  /** Where the components' strip sits: at the bottom of the upper layers, at the top of the lower. */
  stripAt: 'top' | 'bottom';
  services: PlacedChip[];
  components: PlacedChip[];
  /** Pod columns, from `podsTop`; each pod group flows under the previous one (so folding one moves only its column). */
  podsTop: number;
  columns: PodColumn[];
}
export interface PlacedArrow {
  link: LiveLink;
  /** SVG path, in drawing coordinates. */
  d: string;
  /** The target component, for the arrow's colour. */
  target: string;
}
export interface LabDrawing {
  width: number;
  height: number;
  nodes: PlacedNode[];
  arrows: PlacedArrow[];
}

/** The short name of a process: its component, else its program's file name. */
export function shortName(p: LiveProcess): string {
  if (p.kind === 'shim') return 'containerd-shim-runc-v2';
  if (p.component) return p.component;
  const program = p.args.split(' ')[0] ?? '';
  return program.slice(program.lastIndexOf('/') + 1) || p.args;
}

/** The pod's own annotations (not Kubernetes' bookkeeping), one line each under its title: `key: value`. */
export function podNotes(pod: LivePod): string[] {
  return Object.entries(pod.annotations)
    .filter(([key]) => !key.includes('kubernetes.io/'))
    .map(([key, value]) => `${key}: ${value}`);
}

/** The processes of a pod group, in the order they are drawn. */
export function podRows(pod: LivePod): LiveProcess[] {
  return [pod.shim, pod.pause, ...pod.processes].filter((p): p is LiveProcess => p !== undefined);
}

const text = (chars: number) => Math.ceil(chars * METRICS.char);
const PID_CHARS = 8;
const rowChars = (p: LiveProcess) => PID_CHARS + shortName(p).length;
// Padding 9 px and border 2 px each side (drawing.css), and a little room.
const chipWidth = (label: string) => text(label.length) + 26;

/** Places the chips left to right, wrapping at `width`; returns them and the height they take. */
function flowChips(chips: Array<Omit<PlacedChip, 'x' | 'y' | 'height'>>, left: number, top: number, width: number): PlacedChip[] {
  let x = left;
  let y = top;
  return chips.map((chip) => {
    if (x > left && x + chip.width > left + width) {
      x = left;
      y += METRICS.chip + METRICS.chipGap;
    }
    const placed = { ...chip, x, y, height: METRICS.chip };
    x += chip.width + METRICS.chipGap;
    return placed;
  });
}

const bottomOf = (chips: PlacedChip[], otherwise: number) => Math.max(otherwise, ...chips.map((c) => c.y + c.height));

function podHeight(pod: LivePod, innerChars: number): number {
  const titleLines = Math.max(1, Math.ceil(pod.name.length / innerChars));
  return 2 * METRICS.podFrame + titleLines * METRICS.podTitle + (1 + podNotes(pod).length) * METRICS.podNamespace + podRows(pod).length * METRICS.row;
}

/** A node box with everything inside placed relative to its top-left corner, `target` the width it may take. */
function sizeNode(node: LiveNode, target: number): Omit<PlacedNode, 'x' | 'y'> {
  const f = METRICS.nodeFrame;
  const widestPod = Math.max(0, ...node.pods.map((p) => Math.max(p.name.length, p.namespace.length * 0.8, ...podRows(p).map(rowChars))));
  const columnChars = Math.min(METRICS.maxColumnChars, Math.ceil(widestPod));
  const columnWidth = text(columnChars) + 2 * METRICS.podFrame;
  const fit = Math.floor((target - 2 * f + METRICS.podGap) / (columnWidth + METRICS.podGap));
  const columnCount = node.pods.length === 0 ? 0 : Math.max(1, Math.min(node.pods.length, fit));
  const podsWidth = columnCount * columnWidth + Math.max(0, columnCount - 1) * METRICS.podGap;
  const ownStrip = node.role === 'external-load-balancer' || node.role === 'external-etcd';
  const stripNames = ownStrip ? node.components : STRIP_COMPONENTS.filter((c) => node.components.includes(c));
  const processChip = (p: LiveProcess) => ({ label: `${shortName(p)} ${p.pid}`, process: p, width: chipWidth(`${shortName(p)} ${p.pid}`) });
  // A service that carries arrows (the kubelet) is drawn once, in the strip, with its pid.
  const stripChips = stripNames.map((c) => {
    const service = node.services.find((p) => p.component === c);
    return { ...(service ? processChip(service) : { label: c, width: chipWidth(c) }), anchor: `${node.name}/${c}`, component: c };
  });
  const serviceChips = node.services.filter((p) => !p.component || !stripNames.includes(p.component)).map(processChip);
  const stripWidth = stripChips.reduce((sum, c) => sum + c.width + METRICS.chipGap, 0);
  // The name at 22 px, the role in DejaVu Sans at 18 px (about 0.6 em a character); external boxes put the role under the name.
  const nameWidth = Math.ceil(node.name.length * 22 * 0.602);
  const roleWidth = Math.ceil(node.role.length * 18 * 0.6);
  const headWidth = ownStrip ? Math.max(nameWidth, roleWidth) : nameWidth + 16 + roleWidth;
  const stripAt = LAYER[node.role] < 2 ? 'bottom' : 'top';
  // A top strip sits in the head's row, between the name and the role: arrows from above reach it without crossing the name.
  const topStrip = stripAt === 'top' ? stripWidth + 24 : 0;
  const inner = Math.max(podsWidth, Math.min(stripWidth, Math.max(podsWidth, 420)), headWidth + topStrip, 200);
  if (ownStrip) {
    // The load balancer and external etcd: the name over the role, the component to its right, where
    // arrows reach it from above and below without crossing the name.
    const headHeight = METRICS.nodeHead + METRICS.podNamespace + 4;
    const components = flowChips(stripChips, f + headWidth + 16, f + (headHeight - METRICS.chip) / 2, stripWidth);
    const width = headWidth + 16 + stripWidth - METRICS.chipGap + 2 * f;
    return { node, width, height: headHeight + 2 * f - 6, stripAt: 'top', services: [], components, podsTop: headHeight + f, columns: [] };
  }
  let y = f + METRICS.nodeHead;
  let components: PlacedChip[] = [];
  if (stripAt === 'top') components = flowChips(stripChips, f + nameWidth + 20, f - 5, stripWidth);
  const services = flowChips(serviceChips, f, y, inner);
  y = bottomOf(services, y - METRICS.stripGap) + METRICS.stripGap;
  const podsTop = y;
  const innerChars = Math.floor((columnWidth - 2 * METRICS.podFrame) / METRICS.char);
  const columns: PodColumn[] = Array.from({ length: columnCount }, (_, i) => ({ x: f + i * (columnWidth + METRICS.podGap), width: columnWidth, pods: [] }));
  const heights = columns.map(() => 0);
  for (const pod of node.pods) {
    // Each pod goes into the shortest column, so the columns end close together.
    const i = heights.indexOf(Math.min(...heights));
    const height = podHeight(pod, innerChars);
    columns[i]!.pods.push({ pod, height });
    heights[i]! += height + METRICS.podGap;
  }
  y = podsTop + Math.max(0, ...heights);
  if (stripAt === 'bottom') {
    components = flowChips(stripChips, f, y, inner);
    y = bottomOf(components, y - METRICS.stripGap) + METRICS.stripGap;
  }
  return { node, width: inner + 2 * f, height: y - METRICS.stripGap + f, stripAt, services, components, podsTop, columns };
}

/** ELK's options for the whole drawing: layers top to bottom by partition (LAYER), arrows as polylines. */
export const DRAWING_LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.partitioning.activate': 'true',
  // Boxes in the order of the view (control-plane, control-plane2, ...) where crossings allow.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': String(METRICS.nodeGap),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(METRICS.layerGap),
  'elk.padding': `[top=${METRICS.margin},left=${METRICS.margin},bottom=${METRICS.margin},right=${METRICS.margin}]`,
};

/** The whole drawing of a view, `room` the width it should fit (it may be wider when a layer does not fit). */
export async function layoutLabDrawing(view: LiveView, elk: ElkLike, room: number): Promise<LabDrawing> {
  // The nodes of a layer share its width.
  const target = (node: LiveNode) => {
    const perLayer = view.nodes.filter((n) => LAYER[n.role] === LAYER[node.role]).length;
    return Math.max(420, Math.floor((room - 2 * METRICS.margin - (perLayer - 1) * METRICS.nodeGap) / perLayer));
  };
  const sized = view.nodes.map((n) => sizeNode(n, target(n)));
  const edges = linkEdges(view);
  const placed = await elk.layout({
    id: 'lab',
    layoutOptions: DRAWING_LAYOUT_OPTIONS,
    children: sized.map((s) => ({
      id: s.node.name,
      width: s.width,
      height: s.height,
      layoutOptions: { 'elk.partitioning.partition': String(LAYER[s.node.role]) },
    })),
    edges,
  });
  // ELK lines a layer's boxes up at their bottoms; the drawing lines them up at their tops (names in a row).
  const layerTop = new Map<number, number>();
  for (const child of placed.children ?? []) {
    const node = view.nodes.find((n) => n.name === child.id);
    if (node) layerTop.set(LAYER[node.role], Math.min(layerTop.get(LAYER[node.role]) ?? Infinity, child.y ?? 0));
  }
  const nodes: PlacedNode[] = sized.map((s) => {
    const at = placed.children?.find((c) => c.id === s.node.name);
    return { ...s, x: at?.x ?? 0, y: layerTop.get(LAYER[s.node.role]) ?? at?.y ?? 0 };
  });
  const width = Math.max(0, ...nodes.map((n) => n.x + n.width)) + METRICS.margin;
  const height = Math.max(0, ...nodes.map((n) => n.y + n.height)) + METRICS.arcRoom;
  const routes = new Map((placed.edges ?? []).map((edge) => [edge.id, edge.sections?.[0]?.bendPoints ?? []]));
  return { width, height, nodes, arrows: placeArrows(view.links, nodes, routes) };
}

/**
 * One ELK edge per link between boxes of different layers, pointing from the upper layer to the lower
 * one (as ELK layers them), so ELK keeps a lane free where an arrow passes a layer in between. A link
 * inside one layer (api-server -> another control plane's kubelet) would push its target a layer down.
 * The edge's id is the link's index.
 */
function linkEdges(view: LiveView): ElkGraphEdge[] {
  const layerOf = new Map(view.nodes.map((n) => [n.name, LAYER[n.role]]));
  const edges: ElkGraphEdge[] = [];
  view.links.forEach((link, i) => {
    let [a, b] = [link.from.split('/')[0]!, link.to.split('/')[0]!];
    if (layerOf.get(a) === layerOf.get(b)) return;
    if ((layerOf.get(a) ?? 0) > (layerOf.get(b) ?? 0)) [a, b] = [b, a];
    edges.push({ id: String(i), sources: [a], targets: [b] });
  });
  return edges;
}

type Anchor = { chip: PlacedChip; node: PlacedNode };

/**
 * Arrows leave and enter the component strips on the side facing the other box, so they run in the
 * gaps between layers and never across pods; across a layer in between they follow ELK's lane; between
 * two components of one strip they arc below it.
 */
function placeArrows(links: readonly LiveLink[], nodes: readonly PlacedNode[], routes: ReadonlyMap<string, Array<{ x: number; y: number }>>): PlacedArrow[] {
  const chips = new Map<string, Anchor>();
  for (const node of nodes) for (const chip of node.components) if (chip.anchor) chips.set(chip.anchor, { chip, node });
  const arrows: PlacedArrow[] = [];
  const r = (n: number) => Math.round(n);
  const arcs = new Map<PlacedNode, number>();
  const top = (p: Anchor) => p.node.y + p.chip.y;
  const bottom = (p: Anchor) => p.node.y + p.chip.y + p.chip.height;
  const bands = new Map<number, { top: number; bottom: number }>();
  for (const n of nodes) {
    const band = bands.get(LAYER[n.node.role]);
    bands.set(LAYER[n.node.role], { top: Math.min(band?.top ?? Infinity, n.y), bottom: Math.max(band?.bottom ?? -Infinity, n.y + n.height) });
  }
  links.forEach((link, i) => {
    const from = chips.get(link.from);
    const to = chips.get(link.to);
    if (!from || !to) return;
    // Out of a chip left of its middle, in right of it: a pair of opposite arrows stays two lines.
    const ax = from.node.x + from.chip.x + from.chip.width / 2 - 8;
    const bx = to.node.x + to.chip.x + to.chip.width / 2 + 8;
    let d: string;
    if (from.node.y === to.node.y) {
      const a = bottom(from);
      const b = bottom(to);
      const nth = arcs.get(from.node) ?? 0;
      arcs.set(from.node, nth + 1);
      const dip = Math.max(a, b) + 24 + 14 * nth;
      d = `M${r(ax)},${r(a)} C${r(ax)},${r(dip)} ${r(bx)},${r(dip)} ${r(bx)},${r(b + 2)}`;
    } else {
      const down = from.node.y < to.node.y;
      const start = { x: ax, y: down ? bottom(from) : top(from) };
      const end = { x: bx, y: down ? top(to) - 2 : bottom(to) + 2 };
      // Across a layer in between, the arrow runs down (or up) the lane ELK kept free there.
      const [upper, lower] = [LAYER[from.node.node.role], LAYER[to.node.node.role]].sort((p, q) => p - q) as [number, number];
      const lanes: Array<{ x: number; y: number }> = [];
      for (const [layer, band] of bands) {
        if (layer <= upper || layer >= lower) continue;
        const bend = (routes.get(String(i)) ?? []).find((p) => p.y >= band.top - 1 && p.y <= band.bottom + 1);
        if (bend) lanes.push({ x: bend.x, y: band.top - 10 }, { x: bend.x, y: band.bottom + 10 });
      }
      lanes.sort((p, q) => (down ? p.y - q.y : q.y - p.y));
      const points = [start, ...lanes, end];
      d = `M${r(start.x)},${r(start.y)}`;
      for (let k = 1; k < points.length; k++) {
        const [p, q] = [points[k - 1]!, points[k]!];
        const mid = (p.y + q.y) / 2;
        d += ` C${r(p.x)},${r(mid)} ${r(q.x)},${r(mid)} ${r(q.x)},${r(q.y)}`;
      }
    }
    arrows.push({ link, d, target: link.to.split('/')[1] ?? '' });
  });
  return arrows;
}
