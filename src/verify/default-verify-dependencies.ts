import Docker from 'dockerode';
import { DockerodeClusterContainers } from '../inspect/docker/dockerode-cluster-containers.js';
import { DockerodeNodeExec } from '../inspect/docker/dockerode-node-exec.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import { readAdminKubeconfig } from '../inspect/k8s/admin-kubeconfig.js';
import { ClientNodeKubernetesView } from '../inspect/k8s/client-node-kubernetes-view.js';
import { ClientNodeVerifyKubeApi } from './client-node-verify-kube-api.js';
import type { VerifyDependencies } from './verify-cluster.js';

/** The real edges: Docker through dockerode, the API through @kubernetes/client-node. */
export function defaultVerifyDependencies(docker = new Docker()): VerifyDependencies {
  const containers = new DockerodeClusterContainers(docker);
  const exec = new DockerodeNodeExec(docker);
  return {
    exec,
    takeSnapshot: (cluster) =>
      inspectCluster(
        { containers, exec, kubernetesView: (text) => ClientNodeKubernetesView.fromKubeconfigText(text) },
        cluster ? { cluster } : {},
      ),
    kubeApi: async (snapshot) => {
      const nodes = snapshot.nodes.map((n) => ({ ...n.container, name: n.name, role: n.role }));
      return ClientNodeVerifyKubeApi.fromKubeconfigText(await readAdminKubeconfig(exec, nodes));
    },
  };
}
