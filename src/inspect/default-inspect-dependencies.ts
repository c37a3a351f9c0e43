import Docker from 'dockerode';
import { DockerodeClusterContainers } from './docker/dockerode-cluster-containers.js';
import { DockerodeNodeExec } from './docker/dockerode-node-exec.js';
import type { InspectDependencies } from './inspect-cluster.js';
import { ClientNodeKubernetesView } from './k8s/client-node-kubernetes-view.js';

/** The real adapters: Docker from DOCKER_HOST or the default socket, the API through client-node. */
export function defaultInspectDependencies(docker: Docker = new Docker()): InspectDependencies {
  return {
    containers: new DockerodeClusterContainers(docker),
    exec: new DockerodeNodeExec(docker),
    kubernetesView: (kubeconfigText) => ClientNodeKubernetesView.fromKubeconfigText(kubeconfigText),
  };
}
