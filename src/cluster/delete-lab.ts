import { KindlabError } from '../common/kindlab-error.js';
import { KIND_CLUSTER_LABEL, LAB_LABEL } from '../common/labels.js';
import { kindlabHome } from '../common/paths.js';
import type { DockerCli } from '../docker/docker-cli.js';
import type { KindCli } from './kind-cli.js';
import { removeLabKubeconfigFile } from './lab-kubeconfig-file.js';
import { metadataFromLabels } from './lab-metadata.js';
import { sweepContainers } from './sweep-containers.js';
import { VerifyOutcomeStore } from '../verify/verify-outcome-store.js';

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

  const swept = await sweepContainers(deps.docker, [
    [KIND_CLUSTER_LABEL, name],
    [LAB_LABEL, name],
  ]);
  if (swept.length > 0) result.found = true;
  for (const c of swept) if (!result.containers.includes(c)) result.containers.push(c);

  const volumes = [...(await deps.docker.volumesWithLabel(LAB_LABEL, name)), ...(await deps.docker.volumesWithLabel(KIND_CLUSTER_LABEL, name))];
  await deps.docker.removeVolumes([...new Set(volumes.map((v) => v.name))]);
  result.volumes.push(...new Set(volumes.map((v) => v.name)));

  const networks = [...(await deps.docker.networksWithLabel(LAB_LABEL, name)), ...(await deps.docker.networksWithLabel(KIND_CLUSTER_LABEL, name))];
  await deps.docker.removeNetworks([...new Set(networks.map((n) => n.id))]);
  result.networks.push(...new Set(networks.map((n) => n.name)));
  if (networks.length > 0) result.found = true;
  // The lab's own kubeconfig (lab-kubeconfig-file.ts) names a cluster that no longer exists.
  removeLabKubeconfigFile(name);
  // So does its last verify outcome; only this lab's (its `lab up` record says which), found while the record existed.
  if (recorded) VerifyOutcomeStore.inHome(kindlabHome()).removeOutcomeOf(recorded);
  if (kindError !== undefined) {
    throw new KindlabError(`failed to delete kind cluster ${name} (its containers, volumes and networks were removed by label)`, { cause: kindError });
  }
  return result;
}
