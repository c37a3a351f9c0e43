import type { TourView } from './tour-context.js';

export interface NodeFact {
  name: string;
  ready: boolean;
  controlPlane: boolean;
  /** Runs workloads: a worker, or a control plane without the NoSchedule taint (single topology). */
  runsWorkloads: boolean;
}

export interface Connection {
  node: string;
  process: string;
  local: string;
  peer: string;
  /** What the peer is: "api-server on x", "load balancer y", "etcd", or "other". */
  peerRole: string;
}

export interface ComponentWiring {
  node: string;
  component: string;
  flags: string[];
  /** Established connections the component opened (not ones it accepted). */
  outbound: Connection[];
}

export interface ObservedEvent {
  object: string;
  reason: string;
  component: string;
  message: string;
}

export type ActionFacts =
  | { type: 'listNodes'; nodes: NodeFact[] }
  | { type: 'showProcessTree'; node: string; components: string[] }
  | { type: 'controlPlaneWiring'; wiring: ComponentWiring[]; etcdServers: string[]; apiServerToEtcd: Connection[] }
  | { type: 'createConfigMap'; created: string[] }
  | { type: 'readEtcdKey'; key: string; found: boolean; printableValue: string; members: number }
  | { type: 'createPod'; created: string[]; node: string | undefined; events: ObservedEvent[] }
  | { type: 'createDeployment'; created: string[]; desired: number; ready: number; events: ObservedEvent[] }
  | { type: 'deletePod'; deleted: string; replacements: string[]; desired: number; ready: number; events: ObservedEvent[] }
  | { type: 'kubeletConnections'; nodes: Array<{ node: string; connections: Connection[] }> }
  | { type: 'podLogs'; pod: string; node: string; lines: string[] }
  | { type: 'scaleTable'; row: string | undefined };

export interface ActionOutcome {
  views: Record<string, TourView>;
  /** What this cluster showed, in a sentence or two each (counts, names, where the topology matters). */
  findings: string[];
  facts: ActionFacts;
}
