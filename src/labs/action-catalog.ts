import type { ActionType, CheckType } from './tour-lab.js';
import { NODE_ROLE_SELECTORS } from './tour-lab.js';

/** The parameter types a lab file may use; kept tiny on purpose so errors can say exactly what is wrong. */
export type FieldSpec =
  | { kind: 'string'; required: boolean; default?: string; pattern?: RegExp; patternHint?: string }
  | { kind: 'integer'; required: boolean; default?: number; min: number; max: number }
  | { kind: 'enum'; required: boolean; default?: string; values: readonly string[] }
  | { kind: 'stringMap'; required: boolean }
  | { kind: 'stringList'; required: boolean; values?: readonly string[] };

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_HINT = 'lowercase letters, digits and "-", at most 63 characters (a Kubernetes object name)';
/** The tour appends "-<run id>" (9 characters, src/labs/cleanup-tour-objects.ts) to the names it creates. */
const TOUR_OBJECT_NAME = /^[a-z0-9]([a-z0-9-]{0,52}[a-z0-9])?$/;
const objectName = (): FieldSpec => ({
  kind: 'string',
  required: true,
  pattern: TOUR_OBJECT_NAME,
  patternHint: 'lowercase letters, digits and "-", at most 54 characters (the tour appends "-<run id>" to make a Kubernetes object name)',
});
const role = (): FieldSpec => ({ kind: 'enum', required: true, values: NODE_ROLE_SELECTORS });

export interface ActionCatalogEntry {
  fields: Record<string, FieldSpec>;
  /** Names a step's `show:` may pick from; the first ones are shown when `show` is omitted. */
  views: readonly string[];
  /** The workshop command this action stands for, shown when the step has no `demo`. */
  summary: string;
}

/** Process roles the inspect join can name; `processRoles` checks are validated against this list. */
export const PROCESS_ROLES = [
  'containerd',
  'kubelet',
  'shim',
  'pause',
  'kube-proxy',
  'cni',
  'etcd',
  'kube-apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'coredns',
] as const;

export const CONTROL_PLANE_COMPONENTS = ['kube-scheduler', 'kube-controller-manager', 'kubelet', 'kube-proxy', 'cni'] as const;

export const ACTION_CATALOG: Record<ActionType, ActionCatalogEntry> = {
  listNodes: { fields: {}, views: ['nodes', 'roles'], summary: 'list the nodes and their roles' },
  showProcessTree: { fields: { role: role() }, views: ['tree', 'components'], summary: 'show the annotated process tree of a node' },
  controlPlaneWiring: {
    fields: {},
    views: ['flags', 'connections', 'verdict'],
    summary: 'show whom the control-plane components talk to (flags and established connections)',
  },
  createConfigMap: {
    fields: { name: objectName(), data: { kind: 'stringMap', required: true } },
    views: ['object'],
    summary: 'create a ConfigMap through the API',
  },
  readEtcdKey: {
    fields: { configMap: objectName() },
    views: ['members', 'key', 'value'],
    summary: 'read an object back from etcd with etcdctl',
  },
  createPod: { fields: { name: objectName() }, views: ['pod', 'events'], summary: 'create a pod and wait until it is scheduled' },
  createDeployment: {
    fields: { name: objectName(), replicas: { kind: 'integer', required: false, default: 2, min: 1, max: 5 } },
    views: ['objects', 'events'],
    summary: 'create a Deployment and watch the ReplicaSet and Pods appear',
  },
  deletePod: {
    fields: { deployment: objectName() },
    views: ['before', 'after', 'events'],
    summary: "delete one of a Deployment's pods and watch it be replaced",
  },
  kubeletConnections: { fields: {}, views: ['connections'], summary: "show each kubelet's connections to the api-server" },
  podLogs: {
    fields: {
      namespace: { kind: 'string', required: false, default: 'kube-system', pattern: DNS_LABEL, patternHint: DNS_HINT },
      selector: { kind: 'string', required: true },
      role: role(),
      tailLines: { kind: 'integer', required: false, default: 5, min: 1, max: 50 },
    },
    views: ['route', 'logs'],
    summary: 'read pod logs: the api-server asks the kubelet of the node',
  },
  scaleTable: { fields: {}, views: ['table', 'commands'], summary: 'place this cluster in the cluster-scale table' },
};

export interface CheckCatalogEntry {
  fields: Record<string, FieldSpec>;
  /** The actions whose results carry the facts this check reads. */
  actions: readonly ActionType[];
}

export const CHECK_CATALOG: Record<CheckType, CheckCatalogEntry> = {
  nodesReady: { fields: {}, actions: ['listNodes'] },
  roleCount: {
    fields: { role: role(), min: { kind: 'integer', required: false, default: 1, min: 0, max: 99 } },
    actions: ['listNodes'],
  },
  processRoles: { fields: { roles: { kind: 'stringList', required: true, values: PROCESS_ROLES } }, actions: ['showProcessTree'] },
  talksOnlyToApiServer: {
    fields: { components: { kind: 'stringList', required: true, values: CONTROL_PLANE_COMPONENTS } },
    actions: ['controlPlaneWiring'],
  },
  apiServerUsesEtcd: { fields: {}, actions: ['controlPlaneWiring'] },
  objectCreated: { fields: {}, actions: ['createConfigMap', 'createPod', 'createDeployment'] },
  etcdValueContains: { fields: { text: { kind: 'string', required: true } }, actions: ['readEtcdKey'] },
  podScheduled: { fields: {}, actions: ['createPod'] },
  eventSeen: {
    fields: { reason: { kind: 'string', required: true }, component: { kind: 'string', required: true } },
    actions: ['createPod', 'createDeployment', 'deletePod'],
  },
  replicasReady: { fields: {}, actions: ['createDeployment', 'deletePod'] },
  podReplaced: { fields: {}, actions: ['deletePod'] },
  kubeletConnected: { fields: {}, actions: ['kubeletConnections'] },
  logsReturned: { fields: {}, actions: ['podLogs'] },
  topologyPlaced: { fields: {}, actions: ['scaleTable'] },
};
