import type { TopologyCounts } from '../inspect/topology-counts.js';
/**
 * What `lab serve` pushes to the page (server-sent events, JSON): one lab as the seed draws it. The
 * browser code in src/serve/browser/ reads these types only; the server builds them from a snapshot.
 */
export interface LiveView {
  cluster: string;
  capturedAt: string;
  topology: TopologyCounts;
  nodes: LiveNode[];
  /** Who talks to whom, between the components' boxes (`<node>/<component>`). */
  links: LiveLink[];
  warnings: string[];
}

export interface LiveNode {
  name: string;
  role: 'control-plane' | 'worker' | 'external-load-balancer' | 'external-etcd';
  /** systemd, containerd, kubelet and the other processes outside any pod. */
  services: LiveProcess[];
  pods: LivePod[];
  /** What the node runs without a process list (the load balancer's and external etcd's images have no ps). */
  components: string[];
}

export interface LivePod {
  namespace: string;
  name: string;
  uid: string;
  phase: string;
  static: boolean;
  shim?: LiveProcess;
  pause?: LiveProcess;
  /** The containers' processes, each container's first process before its descendants. */
  processes: LiveProcess[];
  /** The pod's annotations as the API has them (redacted): shown as text, never as markup. */
  annotations: Record<string, string>;
}

export interface LiveProcess {
  pid: number;
  ppid: number;
  args: string;
  kind: 'system' | 'shim' | 'pause' | 'container' | 'other';
  component?: string;
  container?: string;
  /** `namespace/name` of the pod it belongs to. */
  pod?: string;
  /** The report's annotation text. */
  annotation: string;
}

export interface LiveLink {
  from: string;
  to: string;
  label: string;
}

/** One line of the controller loop panel: an event of a Deployment, ReplicaSet or Pod. */
export interface ControllerEvent {
  time: string;
  kind: string;
  object: string;
  reason: string;
  message: string;
}

/** One part of the page a tour step talks about (templates/schemas/tour-lab.schema.json#/$defs/highlight): exactly one field. */
export interface HighlightTarget {
  component?: string;
  kind?: LiveProcess['kind'];
  /** Pod groups whose name starts with this. */
  pod?: string;
  role?: LiveNode['role'];
  /** Arrows into this component. */
  arrow?: string;
}

/** What `lab tour --serve` pushes while a step runs: its title, and what to highlight. */
export interface TourFocus {
  number: string;
  chapter: string;
  step: string;
  highlight: HighlightTarget[];
}
