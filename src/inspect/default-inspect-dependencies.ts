import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { DockerNodeExec } from '../node/docker-node-exec.js';
import { DockerClusterContainers } from './docker/docker-cluster-containers.js';
import type { InspectDependencies } from './inspect-cluster.js';
import { connectHttpsKubeApi } from '../kube/https-kube-api.js';

/** The real adapters: Docker and node exec through the docker CLI, the API over HTTPS. */
export function defaultInspectDependencies(docker: DockerCli = defaultDockerCli()): InspectDependencies {
  return {
    containers: new DockerClusterContainers(docker),
    exec: new DockerNodeExec(docker),
    kube: connectHttpsKubeApi,
  };
}
