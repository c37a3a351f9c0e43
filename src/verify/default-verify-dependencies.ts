import Docker from 'dockerode';
import { LAB_COMPONENT_LABEL, LAB_LABEL } from '../common/labels.js';
import { METADATA_COMPONENT, metadataFromLabels } from '../cluster/lab-metadata.js';
import { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';
import type { VerifyDependencies } from './verify-cluster.js';

/** The snapshot's edges plus the lab's record: the metadata volume `lab up` labels (src/cluster/lab-metadata.ts). */
export function defaultVerifyDependencies(docker = new Docker()): VerifyDependencies {
  return {
    ...defaultInspectDependencies(docker),
    readLabRecord: async (lab) => {
      const { Volumes } = await docker.listVolumes({ filters: { label: [`${LAB_LABEL}=${lab}`, `${LAB_COMPONENT_LABEL}=${METADATA_COMPONENT}`] } });
      return (Volumes ?? []).map((v) => metadataFromLabels(v.Labels ?? {})).find((m) => m !== undefined);
    },
  };
}
