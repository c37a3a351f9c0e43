import { LAB_RUN_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { sweepContainers } from './sweep-containers.js';

export interface RemovedRunResources {
  runId: string;
  containers: string[];
  volumes: string[];
  networks: string[];
}

/**
 * Cleanup after a failed or interrupted `lab up`: removes the containers (kind's nodes and load
 * balancer included, labelled through the docker shim), volumes and networks carrying this run's id,
 * and nothing else. Never by name: another run's lab of the same name, or a plain kind cluster,
 * stays untouched.
 */
export async function removeRunResources(docker: DockerCli, runId: string): Promise<RemovedRunResources> {
  const containers = await sweepContainers(docker, [[LAB_RUN_LABEL, runId]]);
  const volumes = await docker.volumesWithLabel(LAB_RUN_LABEL, runId);
  await docker.removeVolumes(volumes.map((v) => v.name));
  const networks = await docker.networksWithLabel(LAB_RUN_LABEL, runId);
  await docker.removeNetworks(networks.map((n) => n.id));
  return { runId, containers, volumes: volumes.map((v) => v.name), networks: networks.map((n) => n.name) };
}
