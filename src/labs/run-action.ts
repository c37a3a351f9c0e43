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

export function runAction(ctx: TourContext, action: ActionSpec): Promise<ActionOutcome> {
  switch (action.type) {
    case 'listNodes':
      return listNodes(ctx);
    case 'showProcessTree':
      return showProcessTree(ctx, action.role);
    case 'controlPlaneWiring':
      return controlPlaneWiring(ctx);
    case 'createConfigMap':
      return createConfigMap(ctx, action.name, action.data);
    case 'readEtcdKey':
      return readEtcdKey(ctx, action.configMap);
    case 'createPod':
      return createPod(ctx, action.name);
    case 'createDeployment':
      return createDeployment(ctx, action.name, action.replicas);
    case 'deletePod':
      return deletePod(ctx, action.deployment);
    case 'kubeletConnections':
      return kubeletConnections(ctx);
    case 'podLogs':
      return podLogs(ctx, action);
    case 'scaleTable':
      return scaleTable(ctx);
  }
}
