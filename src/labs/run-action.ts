import type { ActionOutcome } from './action-outcome.js';
import { controlPlaneWiring } from './actions/control-plane-wiring.js';
import { createConfigMap } from './actions/create-config-map.js';
import { createDeployment } from './actions/create-deployment.js';
import { createPod } from './actions/create-pod.js';
import { deletePod } from './actions/delete-pod.js';
import { kubeletConnections } from './actions/kubelet-connections.js';
import { listNodes } from './actions/list-nodes.js';
import { podLogs } from './actions/pod-logs.js';
import { readEtcdKey } from './actions/read-etcd-key.js';
import { scaleTable } from './actions/scale-table.js';
import { showProcessTree } from './actions/show-process-tree.js';
import type { TourContext } from './tour-context.js';
import type { ActionSpec } from './tour-lab.js';

type ActionOf<T extends ActionSpec['type']> = Extract<ActionSpec, { type: T }>;

/** Each action type of a lab file and the function that runs it with the step's parameters. */
const ACTIONS: { [T in ActionSpec['type']]: (ctx: TourContext, action: ActionOf<T>) => Promise<ActionOutcome> } = {
  listNodes: (ctx) => listNodes(ctx),
  showProcessTree: (ctx, action) => showProcessTree(ctx, action.role),
  controlPlaneWiring: (ctx) => controlPlaneWiring(ctx),
  createConfigMap: (ctx, action) => createConfigMap(ctx, action.name, action.data),
  readEtcdKey: (ctx, action) => readEtcdKey(ctx, action.configMap),
  createPod: (ctx, action) => createPod(ctx, action.name),
  createDeployment: (ctx, action) => createDeployment(ctx, action.name, action.replicas),
  deletePod: (ctx, action) => deletePod(ctx, action.deployment),
  kubeletConnections: (ctx) => kubeletConnections(ctx),
  podLogs: (ctx, action) => podLogs(ctx, action),
  scaleTable: (ctx) => scaleTable(ctx),
};

export function runAction(ctx: TourContext, action: ActionSpec): Promise<ActionOutcome> {
  return (ACTIONS[action.type] as (ctx: TourContext, action: ActionSpec) => Promise<ActionOutcome>)(ctx, action);
}
