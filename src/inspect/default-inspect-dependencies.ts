import Docker from 'dockerode';
import { DockerodeClusterContainers } from './docker/dockerode-cluster-containers.js';
import { DockerodeNodeExec } from './docker/dockerode-node-exec.js';
import type { InspectDependencies } from './inspect-cluster.js';
import { connectClientNodeKubeApi } from '../kube/client-node-kube-api.js';

/** The real adapters of inspect, report, verify and tour: Docker from DOCKER_HOST or the default socket, the API through client-node. */
export function defaultInspectDependencies(docker: Docker = new Docker()): InspectDependencies {
  return {
    containers: new DockerodeClusterContainers(docker),
    exec: new DockerodeNodeExec(docker),
    kube: connectClientNodeKubeApi,
  };
}
