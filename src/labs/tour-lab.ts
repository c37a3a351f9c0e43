import type { HighlightTarget } from '../serve/live-view.js';
/**
 * A workshop lab under labs/: chapters of steps. Each step narrates, runs one typed action against the live
 * cluster, shows some of the action's views and states checks that must hold. Nothing here is a shell string:
 * actions are implemented in src/labs/actions through the Docker and Kubernetes APIs.
 */
export interface TourLab {
  name: string;
  title: string;
  /** Where the story comes from (the workshop it turns into a live tour). */
  source: string | undefined;
  intro: string | undefined;
  chapters: TourChapter[];
  /** File the lab was loaded from, for error messages. */
  file: string;
}

export interface TourChapter {
  id: string;
  title: string;
  steps: TourStep[];
}

export interface TourStep {
  id: string;
  title: string;
  narration: string;
  /** What the workshop typed for this demo (display only, e.g. `kubectl get nodes`). */
  demo: string | undefined;
  action: ActionSpec;
  /** Views of the action's result to show, in order. */
  show: string[];
  checks: CheckSpec[];
  /** Where the topology changes the story; shown only on matching clusters. */
  topologyNotes: Partial<Record<TopologyNoteKey, string>>;
  /** What `lab tour --serve` highlights on the live page during this step (empty: nothing). */
  highlight: HighlightTarget[];
}

export const TOPOLOGY_NOTE_KEYS = ['single', 'multi', 'ha', 'stacked-etcd', 'external-etcd'] as const;
export type TopologyNoteKey = (typeof TOPOLOGY_NOTE_KEYS)[number];

export const NODE_ROLE_SELECTORS = ['worker', 'control-plane'] as const;
export type NodeRoleSelector = (typeof NODE_ROLE_SELECTORS)[number];

export type ActionSpec =
  | { type: 'listNodes' }
  | { type: 'showProcessTree'; role: NodeRoleSelector }
  | { type: 'controlPlaneWiring' }
  | { type: 'createConfigMap'; name: string; data: Record<string, string> }
  | { type: 'readEtcdKey'; configMap: string }
  | { type: 'createPod'; name: string }
  | { type: 'createDeployment'; name: string; replicas: number }
  | { type: 'deletePod'; deployment: string }
  | { type: 'kubeletConnections' }
  | { type: 'podLogs'; namespace: string; selector: string; role: NodeRoleSelector; tailLines: number }
  | { type: 'scaleTable' };

export type ActionType = ActionSpec['type'];

export type CheckSpec =
  | { type: 'nodesReady' }
  | { type: 'roleCount'; role: NodeRoleSelector; min: number }
  | { type: 'processRoles'; roles: string[] }
  | { type: 'talksOnlyToApiServer'; components: string[] }
  | { type: 'apiServerUsesEtcd' }
  | { type: 'objectCreated' }
  | { type: 'etcdValueContains'; text: string }
  | { type: 'podScheduled' }
  | { type: 'eventSeen'; reason: string; component: string }
  | { type: 'replicasReady' }
  | { type: 'podReplaced' }
  | { type: 'kubeletConnected' }
  | { type: 'logsReturned' }
  | { type: 'topologyPlaced' };

export type CheckType = CheckSpec['type'];
