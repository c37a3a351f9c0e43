import type { ActionType, CheckType } from './tour-lab.js';

/*
 * What a lab file may say about each action and check beyond its parameters. The parameters, their
 * types and defaults are in templates/schemas/tour-lab.schema.json (the one place editors and the
 * validator read them); what ties a step together (views, which checks read which action) is here.
 */
export interface ActionCatalogEntry {
  /** Names a step's `show:` may pick from; the first ones are shown when `show` is omitted. */
  views: readonly string[];
  /** The workshop command this action stands for, shown when the step has no `demo`. */
  summary: string;
}

export const ACTION_CATALOG: Record<ActionType, ActionCatalogEntry> = {
  listNodes: { views: ['nodes', 'roles'], summary: 'list the nodes and their roles' },
  showProcessTree: { views: ['tree', 'components'], summary: 'show the annotated process tree of a node' },
  controlPlaneWiring: {
    views: ['flags', 'connections', 'verdict'],
    summary: 'show whom the control-plane components talk to (flags and established connections)',
  },
  createConfigMap: { views: ['object'], summary: 'create a ConfigMap through the API' },
  readEtcdKey: { views: ['members', 'key', 'value'], summary: 'read an object back from etcd with etcdctl' },
  createPod: { views: ['pod', 'events'], summary: 'create a pod and wait until it is scheduled' },
  createDeployment: { views: ['objects', 'events'], summary: 'create a Deployment and watch the ReplicaSet and Pods appear' },
  deletePod: { views: ['before', 'after', 'events'], summary: "delete one of a Deployment's pods and watch it be replaced" },
  kubeletConnections: { views: ['connections'], summary: "show each kubelet's connections to the api-server" },
  podLogs: { views: ['route', 'logs'], summary: 'read pod logs: the api-server asks the kubelet of the node' },
  scaleTable: { views: ['table', 'commands'], summary: 'place this cluster in the cluster-scale table' },
};

/** The actions whose results carry the facts each check reads. */
export const CHECK_ACTIONS: Record<CheckType, readonly ActionType[]> = {
  nodesReady: ['listNodes'],
  roleCount: ['listNodes'],
  processRoles: ['showProcessTree'],
  talksOnlyToApiServer: ['controlPlaneWiring'],
  apiServerUsesEtcd: ['controlPlaneWiring'],
  objectCreated: ['createConfigMap', 'createPod', 'createDeployment'],
  etcdValueContains: ['readEtcdKey'],
  podScheduled: ['createPod'],
  eventSeen: ['createPod', 'createDeployment', 'deletePod'],
  replicasReady: ['createDeployment', 'deletePod'],
  podReplaced: ['deletePod'],
  kubeletConnected: ['kubeletConnections'],
  logsReturned: ['podLogs'],
  topologyPlaced: ['scaleTable'],
};
