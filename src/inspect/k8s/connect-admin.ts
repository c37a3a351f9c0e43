import type { KubeApi, KubeClientFactory } from '../../kube/kube-api.js';
import type { ClusterContainer } from '../docker/cluster-containers.js';
import type { NodeExec } from '../../node/node-exec.js';
import { readAdminKubeconfig } from './admin-kubeconfig.js';

/**
 * A command's one connection with the lab's admin credentials: admin.conf is read on the first
 * call only; later calls (the snapshot, the probes, the tour) share the client, or the failure.
 */
export function connectAdmin(deps: { exec: NodeExec; kube: KubeClientFactory }, containers: readonly ClusterContainer[]): () => Promise<KubeApi> {
  let connection: Promise<KubeApi> | undefined;
  return () => (connection ??= readAdminKubeconfig(deps.exec, containers).then(deps.kube));
}
