import {
  LAB_COMPONENT_LABEL,
  LAB_CREATED_AT_LABEL,
  LAB_ETCD_MODE_LABEL,
  LAB_KUBECONFIG_LABEL,
  LAB_LABEL,
  LAB_NODE_IMAGE_LABEL,
  LAB_POOL_LABEL,
  LAB_PROFILE_LABEL,
  LAB_SPEC_LABEL,
  LAB_TOPOLOGY_LABEL,
  METADATA_COMPONENT,
} from '../common/labels.js';
import { PROFILES, type EtcdMode, type ProfileName, type TopologyKind, type TopologySpec } from '../topology/topology-spec.js';

/*
 * Where a lab's metadata lives, and why.
 *
 * kind v0.30.0 cannot put our labels on its node containers (its config has no container labels),
 * and a container carrying kind's own `io.x-k8s.kind.cluster=<name>` label before `kind create`
 * makes kind refuse with "node(s) already exist for a cluster with the name" (create.go
 * alreadyExists -> ListNodes filters on that label), so the external etcd container cannot carry it.
 *
 * So kindlab records each lab on a Docker object it owns: an empty volume `<name>-kindlab` whose
 * labels hold the topology, etcd mode, creation time, kubeconfig path and the spec. A volume has no
 * process, no IP and survives a daemon restart; it is created FIRST in `lab up`, so even a
 * half-created lab is findable by label and `lab down` removes it together with:
 *   - containers labelled io.x-k8s.kind.cluster=<name> (kind's nodes and load balancer),
 *   - containers, volumes and networks labelled dev.kindlab.lab=<name> (external etcd, this volume).
 * Inside the cluster, every node also carries dev.kindlab.lab / topology / etcd labels (kind's
 * per-node `labels:`), so Kubernetes-side tools can tell which lab they are looking at.
 */

export interface LabMetadata {
  name: string;
  topology: TopologyKind;
  etcd: EtcdMode;
  createdAt: string;
  kubeconfig: string;
  nodeImage: string;
  controlPlanes: number;
  workers: number;
  /** `--profile` the lab was made with; undefined: default (also every lab made before profiles). */
  profile?: ProfileName;
}

export function metadataVolumeName(lab: string): string {
  return `${lab}-kindlab`;
}

export function metadataLabels(spec: TopologySpec, extra: { createdAt: string; kubeconfig: string; nodeImage: string }): Record<string, string> {
  return {
    [LAB_LABEL]: spec.name,
    [LAB_COMPONENT_LABEL]: METADATA_COMPONENT,
    [LAB_TOPOLOGY_LABEL]: spec.kind,
    [LAB_ETCD_MODE_LABEL]: spec.etcd,
    [LAB_CREATED_AT_LABEL]: extra.createdAt,
    [LAB_KUBECONFIG_LABEL]: extra.kubeconfig,
    [LAB_NODE_IMAGE_LABEL]: extra.nodeImage,
    [LAB_SPEC_LABEL]: JSON.stringify({ controlPlanes: spec.controlPlanes, workers: spec.workers, ports: spec.ports }),
    ...(spec.profile ? { [LAB_PROFILE_LABEL]: spec.profile } : {}),
    ...(spec.pool ? { [LAB_POOL_LABEL]: spec.pool } : {}),
  };
}

/** The labels metadataFromLabels reads: a listing of volumes with these values is enough for it. */
export const METADATA_LABEL_KEYS = [
  LAB_LABEL,
  LAB_COMPONENT_LABEL,
  LAB_SPEC_LABEL,
  LAB_TOPOLOGY_LABEL,
  LAB_ETCD_MODE_LABEL,
  LAB_CREATED_AT_LABEL,
  LAB_KUBECONFIG_LABEL,
  LAB_NODE_IMAGE_LABEL,
  LAB_PROFILE_LABEL,
] as const;

export function metadataFromLabels(labels: Record<string, string>): LabMetadata | undefined {
  const name = labels[LAB_LABEL];
  if (!name || labels[LAB_COMPONENT_LABEL] !== METADATA_COMPONENT) return undefined;
  let counts = { controlPlanes: 0, workers: 0 };
  try {
    counts = { ...counts, ...(JSON.parse(labels[LAB_SPEC_LABEL] ?? '{}') as Partial<typeof counts>) };
  } catch {
    // An unreadable spec label only loses the expected node counts; the lab stays listable.
  }
  return {
    name,
    topology: (labels[LAB_TOPOLOGY_LABEL] ?? 'single') as TopologyKind,
    etcd: (labels[LAB_ETCD_MODE_LABEL] ?? 'stacked') as EtcdMode,
    createdAt: labels[LAB_CREATED_AT_LABEL] ?? '',
    kubeconfig: labels[LAB_KUBECONFIG_LABEL] ?? '',
    nodeImage: labels[LAB_NODE_IMAGE_LABEL] ?? '',
    controlPlanes: counts.controlPlanes,
    workers: counts.workers,
    ...(profileOf(labels[LAB_PROFILE_LABEL]) ? { profile: profileOf(labels[LAB_PROFILE_LABEL]) } : {}),
  };
}

/** A profile label kindlab knows; any other value (a newer kindlab's profile) reads as none. */
function profileOf(value: string | undefined): ProfileName | undefined {
  return PROFILES.find((p) => p === value);
}
