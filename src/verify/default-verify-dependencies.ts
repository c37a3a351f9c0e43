import { defaultDockerCli } from '../docker/default-docker-cli.js';
import { LAB_LABEL } from '../common/labels.js';
import { metadataFromLabels } from '../cluster/lab-metadata.js';
import { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';
import type { VerifyDependencies } from './verify-cluster.js';

/** The snapshot's edges plus the lab's record: the metadata volume `lab up` labels (src/cluster/lab-metadata.ts). */
export function defaultVerifyDependencies(docker = defaultDockerCli()): VerifyDependencies {
  return {
    ...defaultInspectDependencies(docker),
    readLabRecord: async (lab) => {
      // metadataFromLabels keeps only the record volume (component metadata) of the lab's volumes.
      const volumes = await docker.volumesWithLabel(LAB_LABEL, lab);
      return volumes.map((v) => metadataFromLabels(v.labels)).find((m) => m !== undefined);
    },
  };
}
