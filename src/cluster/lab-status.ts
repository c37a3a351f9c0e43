import {
  ETCD_COMPONENT,
  KIND_CLUSTER_LABEL,
  KIND_ROLE_LABEL,
  LAB_COMPONENT_LABEL,
  LAB_LABEL,
  LAB_PARTICIPANT_LABEL,
  LAB_POOL_LABEL,
} from '../common/labels.js';
import type { EtcdMode, TopologyKind } from '../topology/topology-spec.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { externalEtcdEndpoint } from './external-etcd-endpoint.js';
import { contextForLab } from './kubeconfig-path.js';
import type { LabDeps } from './lab-deps.js';
import { isRecordContainer } from './lab-claim.js';
import { METADATA_LABEL_KEYS, metadataFromLabels, type LabMetadata } from './lab-metadata.js';
import { readNodeSummaries, type NodeSummary } from './kube-nodes.js';
import { adminKubeconfigSource, readAdminKubeconfig } from '../inspect/k8s/admin-kubeconfig.js';
import { DockerNodeExec } from '../node/docker-node-exec.js';
import { readLabObjects, type LabObjects } from './read-lab-objects.js';
import { compareText } from '../common/compare-text.js';

export interface LabContainer {
  name: string;
  /** kind's role label (control-plane, worker, external-load-balancer) or kindlab's component (etcd). */
  role: string;
  state: string;
  ip: string;
  /** The address it is pinned to on the kind network ('' when none): where `lab start` brings it back. */
  pinnedIp: string;
  image: string;
}

export interface LabStatus {
  name: string;
  /** Created by `lab up` (has kindlab's metadata) rather than by plain kind. */
  managed: boolean;
  topology: TopologyKind | 'unknown';
  etcd: EtcdMode | 'unknown';
  createdAt: string;
  context: string;
  kubeconfig: string;
  nodeImage: string;
  expectedNodes: number | undefined;
  /** running: every container up and every node Ready; degraded: something is not; stopped; suspended: every node frozen (`lab suspend`); incomplete: no nodes. */
  state: 'running' | 'degraded' | 'stopped' | 'suspended' | 'incomplete';
  /** `lab pool fill`: the pool the lab was made for, and (`lab claim`) the participant it was handed to. */
  pool: string | undefined;
  participant: string | undefined;
  containers: LabContainer[];
  /** From the Kubernetes API; empty with apiError set when it cannot be reached. */
  nodes: NodeSummary[];
  apiError: string | undefined;
  externalEtcd: { container: string; endpoint: string; state: string } | undefined;
  /** Set when a container of the lab has no pinned address: why, and what that means for a restart (not-pinned-notice.ts). */
  addressNotice: string | undefined;
}

/** Every lab on this Docker daemon: kindlab's (by metadata label) and plain kind clusters (by kind's label). */
export async function listLabNames(deps: Pick<LabDeps, 'docker'>): Promise<{ managed: string[]; kindOnly: string[] }> {
  const [volumes, containers] = await Promise.all([
    deps.docker.listVolumes(LAB_LABEL, METADATA_LABEL_KEYS),
    deps.docker.listAllContainers([KIND_CLUSTER_LABEL, LAB_LABEL]),
  ]);
  return labNamesIn({ volumes, containers });
}

/** listLabNames among objects already read: labels are all it needs. */
export function labNamesIn(objects: {
  volumes: ReadonlyArray<{ labels: Record<string, string> }>;
  containers: ReadonlyArray<{ labels: Record<string, string> }>;
}): {
  managed: string[];
  kindOnly: string[];
} {
  const managed = new Set(objects.volumes.map((v) => metadataFromLabels(v.labels)?.name).filter((n): n is string => Boolean(n)));
  for (const c of objects.containers) if (c.labels[LAB_LABEL]) managed.add(c.labels[LAB_LABEL]);
  const kindOnly = new Set<string>();
  for (const c of objects.containers) {
    const name = c.labels[KIND_CLUSTER_LABEL];
    if (name && !managed.has(name)) kindOnly.add(name);
  }
  return { managed: [...managed].sort(), kindOnly: [...kindOnly].sort() };
}

/**
 * One lab's status. `objects`: the Docker objects already read for this command (readLabObjects),
 * else they are read here; the API and the address notice are read either way (unless withApi is false).
 */
export async function getLabStatus(deps: LabDeps, name: string, options: { withApi?: boolean; objects?: LabObjects } = {}): Promise<LabStatus | undefined> {
  const objects = options.objects ?? (await readLabObjects(deps.docker, name));
  const volumes = objects.volumes.filter((v) => v.labels[LAB_LABEL] === name);
  const metadata = volumes.map((v) => metadataFromLabels(v.labels)).find((m): m is LabMetadata => Boolean(m));
  const kindContainers = objects.containers.filter((c) => c.labels[KIND_CLUSTER_LABEL] === name);
  // The claim (and a pool lab's participant record) are never-started containers: not part of the running lab.
  const labeled = objects.containers.filter((c) => c.labels[LAB_LABEL] === name);
  const labContainers = labeled.filter((c) => !isRecordContainer(c));
  const participant = labeled.map((c) => c.labels[LAB_PARTICIPANT_LABEL]).find(Boolean);
  const claimed = labeled.length > labContainers.length;
  if (!metadata && kindContainers.length === 0 && labContainers.length === 0 && !claimed) return undefined;

  const containers = [...kindContainers, ...labContainers.filter((c) => !kindContainers.some((k) => k.id === c.id))]
    .map(toLabContainer)
    .sort((a, b) => compareText(a.name, b.name));
  const etcdContainer = labContainers.find((c) => c.labels[LAB_COMPONENT_LABEL] === ETCD_COMPONENT);

  let nodes: NodeSummary[] = [];
  let apiError: string | undefined;
  const nodeContainers = kindContainers.filter((c) => c.labels[KIND_ROLE_LABEL] !== 'external-load-balancer');
  if (options.withApi !== false && nodeContainers.some((c) => c.state === 'running')) {
    try {
      // What `kind get kubeconfig` prints, read on this host (else with one exec) instead of by kind's own docker runs.
      const kubeconfig = await readAdminKubeconfig(new DockerNodeExec(deps.docker), kindContainers.map(adminKubeconfigSource));
      nodes = await readNodeSummaries(deps.kube(kubeconfig));
    } catch (error) {
      apiError = firstLine((error as Error).message);
    }
  }

  const expectedNodes = metadata ? metadata.controlPlanes + metadata.workers : undefined;
  const allRunning = containers.length > 0 && containers.every((c) => c.state === 'running');
  const allReady = nodes.length > 0 && nodes.every((n) => n.status === 'Ready') && (expectedNodes === undefined || nodes.length === expectedNodes);
  const state: LabStatus['state'] =
    nodeContainers.length === 0
      ? 'incomplete'
      : nodeContainers.every((c) => c.state === 'paused')
        ? 'suspended'
        : nodeContainers.every((c) => c.state !== 'running' && c.state !== 'paused')
          ? 'stopped'
          : allRunning && allReady
            ? 'running'
            : 'degraded';

  return {
    name,
    managed: Boolean(metadata),
    topology: metadata?.topology ?? 'unknown',
    etcd: metadata?.etcd ?? 'unknown',
    createdAt: metadata?.createdAt || oldest(kindContainers),
    context: contextForLab(name),
    kubeconfig: metadata?.kubeconfig ?? '',
    nodeImage: metadata?.nodeImage || (nodeContainers[0]?.image ?? ''),
    expectedNodes,
    state,
    pool: volumes.map((v) => v.labels[LAB_POOL_LABEL]).find(Boolean),
    participant,
    containers,
    nodes,
    apiError,
    externalEtcd: etcdContainer ? { container: etcdContainer.name, endpoint: externalEtcdEndpoint(name), state: etcdContainer.state } : undefined,
    addressNotice:
      options.withApi !== false
        ? await addressNotice(deps.docker, containers, metadata?.controlPlanes ?? controlPlaneCount(containers), metadata !== undefined)
        : undefined,
  };
}

/** Why containers of the lab have no pinned address; for kindlab's own labs, asking Docker (once per network) whether the kind network takes `--ip`. */
async function addressNotice(docker: DockerCli, containers: LabContainer[], controlPlanes: number, managed: boolean): Promise<string | undefined> {
  const unpinned = containers.filter((c) => !c.pinnedIp && c.role !== 'unknown');
  if (unpinned.length === 0) return undefined;
  // Asking starts a container: a status of a cluster kindlab did not create (plain kind) does not.
  if (!managed)
    return `addresses not pinned (${unpinned.map((c) => c.name).join(', ')}: not made by \`lab up\`); \`lab stop\` pins each to the address it has where Docker allows it`;
  // Loaded only here: a lab whose addresses are all pinned (every lab `lab up` made) never asks.
  const [{ networkTakesIp }, { notPinnedNotice }] = await Promise.all([import('./network-takes-ip.js'), import('./not-pinned-notice.js')]);
  try {
    const answer = await networkTakesIp(docker, KIND_NETWORK, await docker.networkAddresses(KIND_NETWORK), unpinned[0]?.image ?? '');
    if (!answer.takesIp) return notPinnedNotice(answer.refusal ?? 'refused', controlPlanes);
    return `addresses not pinned yet (${unpinned.map((c) => c.name).join(', ')}: made before kindlab pinned them, or by plain kind); \`lab stop\` pins each to the address it has`;
  } catch (error) {
    return `addresses not pinned (${unpinned.map((c) => c.name).join(', ')}); could not ask Docker whether network ${KIND_NETWORK} takes --ip: ${firstLine((error as Error).message)}`;
  }
}

function controlPlaneCount(containers: LabContainer[]): number {
  return containers.filter((c) => c.role === 'control-plane').length;
}

function toLabContainer(c: ContainerInfo): LabContainer {
  return {
    name: c.name,
    role: c.labels[KIND_ROLE_LABEL] ?? c.labels[LAB_COMPONENT_LABEL] ?? 'unknown',
    state: c.state,
    ip: (c.networks.kind ?? Object.values(c.networks)[0])?.ipv4 ?? '',
    pinnedIp: c.networks.kind?.pinnedIpv4 ?? '',
    image: c.image,
  };
}

function oldest(containers: ContainerInfo[]): string {
  return containers.map((c) => c.createdAt).sort()[0] ?? '';
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
