import { KindlabError } from '../common/kindlab-error.js';
import { KIND_CLUSTER_LABEL, LAB_LABEL } from '../common/labels.js';
import { createDebugLogger } from '../common/debug-logger.js';
import type { DockerCli } from './docker-cli.js';
import type { KindCli } from './kind-cli.js';
import { metadataFromLabels } from './lab-metadata.js';
import { sleep } from '../common/sleep.js';

const debug = createDebugLogger('down');

export interface DeleteLabResult {
  name: string;
  containers: string[];
  volumes: string[];
  networks: string[];
  /** The kubeconfig kind removed the context from, when kind ran. */
  kubeconfig: string | undefined;
  found: boolean;
}

export interface DeleteLabDeps {
  docker: DockerCli;
  /** Undefined when kind is missing: containers still go, the kubeconfig context stays. */
  kind: KindCli | undefined;
}

/**
 * Removes everything of a lab, by label, idempotently:
 * kind's delete first (nodes, load balancer, and the kubeconfig context in the file recorded at
 * `lab up`), then whatever is left with kind's or kindlab's label: external etcd, metadata volume,
 * and any container a killed `kind create` was still starting. The shared `kind` network carries no
 * lab label and stays, as `kind delete cluster` leaves it too.
 */
export async function deleteLab(deps: DeleteLabDeps, name: string, options: { kubeconfig?: string } = {}): Promise<DeleteLabResult> {
  const volumesBefore = await deps.docker.volumesWithLabel(LAB_LABEL, name);
  const recorded = volumesBefore.map((v) => metadataFromLabels(v.labels)).find(Boolean);
  const kubeconfig = options.kubeconfig ?? (recorded?.kubeconfig || undefined);
  const result: DeleteLabResult = { name, containers: [], volumes: [], networks: [], kubeconfig: undefined, found: volumesBefore.length > 0 };

  const kindContainers = await deps.docker.containersWithLabel(KIND_CLUSTER_LABEL, name);
  if (kindContainers.length > 0) result.found = true;
  // A failed kind delete must not stop the label sweep below: report it once everything else is gone.
  let kindError: unknown;
  if (deps.kind && (kindContainers.length > 0 || recorded)) {
    try {
      await deps.kind.deleteCluster(name, kubeconfig);
      result.kubeconfig = kubeconfig;
    } catch (error) {
      kindError = error;
    }
    result.containers.push(...kindContainers.map((c) => c.name));
  }

  // A `docker run` started by a kind we killed can still land after the first sweep: sweep until two
  // consecutive rounds find nothing.
  let quietRounds = 0;
  for (let round = 0; round < 10 && quietRounds < 2; round++) {
    const leftovers = [
      ...(await deps.docker.containersWithLabel(KIND_CLUSTER_LABEL, name)),
      ...(await deps.docker.containersWithLabel(LAB_LABEL, name)),
    ];
    if (leftovers.length === 0) {
      quietRounds++;
      if (quietRounds < 2 && round > 0) await sleep(1000);
      continue;
    }
    quietRounds = 0;
    result.found = true;
    debug(`removing containers`, leftovers.map((c) => c.name));
    await deps.docker.removeContainers([...new Set(leftovers.map((c) => c.id))]);
    for (const c of leftovers) if (!result.containers.includes(c.name)) result.containers.push(c.name);
  }

  const volumes = [...(await deps.docker.volumesWithLabel(LAB_LABEL, name)), ...(await deps.docker.volumesWithLabel(KIND_CLUSTER_LABEL, name))];
  await deps.docker.removeVolumes([...new Set(volumes.map((v) => v.name))]);
  result.volumes.push(...new Set(volumes.map((v) => v.name)));

  const networks = [...(await deps.docker.networksWithLabel(LAB_LABEL, name)), ...(await deps.docker.networksWithLabel(KIND_CLUSTER_LABEL, name))];
  await deps.docker.removeNetworks([...new Set(networks.map((n) => n.id))]);
  result.networks.push(...new Set(networks.map((n) => n.name)));
  if (networks.length > 0) result.found = true;
  if (kindError !== undefined) {
    throw new KindlabError(`failed to delete kind cluster ${name} (its containers, volumes and networks were removed by label)`, { cause: kindError });
  }
  return result;
}
