import { KindlabError } from '../common/kindlab-error.js';
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
export async function removeRunResources(docker: DockerCli, runId: string, sweepTimeoutMs?: number): Promise<RemovedRunResources> {
  const containers = await sweepContainers(docker, [[LAB_RUN_LABEL, runId]], sweepTimeoutMs);
  // The sweep gives up on containers that keep coming back or do not go; a cleanup that says done must be.
  const left = await docker.listContainersWithLabel(LAB_RUN_LABEL, runId);
  if (left.length > 0) {
    throw new KindlabError(`failed to remove the containers of run ${runId}: ${left.map((c) => `${c.name} (${c.state})`).join(', ')} still there`, {
      hint: `remove them with \`docker rm --force ${left.map((c) => c.name).join(' ')}\`; \`lab down\` finds them by label too`,
    });
  }
  const volumes = await docker.volumesWithLabel(LAB_RUN_LABEL, runId);
  await docker.removeVolumes(volumes.map((v) => v.name));
  const networks = await docker.networksWithLabel(LAB_RUN_LABEL, runId);
  await docker.removeNetworks(networks.map((n) => n.id));
  return { runId, containers, volumes: volumes.map((v) => v.name), networks: networks.map((n) => n.name) };
}
