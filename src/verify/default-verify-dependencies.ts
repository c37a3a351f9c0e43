import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import { readAdminKubeconfig } from '../inspect/k8s/admin-kubeconfig.js';
import { ClientNodeVerifyKubeApi } from './client-node-verify-kube-api.js';
import type { VerifyDependencies } from './verify-cluster.js';

/** The real edges: Docker and node exec through the docker CLI, the API through @kubernetes/client-node. */
export function defaultVerifyDependencies(docker = defaultDockerCli()): VerifyDependencies {
  const inspect = defaultInspectDependencies(docker);
  return {
    exec: inspect.exec,
    takeSnapshot: (cluster) => inspectCluster(inspect, cluster ? { cluster } : {}),
    kubeApi: async (snapshot) => {
      const nodes = snapshot.nodes.map((n) => ({ ...n.container, name: n.name, role: n.role }));
      return ClientNodeVerifyKubeApi.fromKubeconfigText(await readAdminKubeconfig(inspect.exec, nodes));
    },
  };
}
