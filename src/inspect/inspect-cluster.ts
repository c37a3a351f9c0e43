import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { resolveLabName } from '../common/resolve-lab-name.js';
import { createDebugLogger } from '../common/debug-logger.js';
import type { ClusterContainer, ClusterContainers } from './docker/cluster-containers.js';
import type { NodeExec } from '../node/node-exec.js';
import { joinProcesses } from './join-processes.js';
import type { KubeApi, KubeClientFactory } from '../kube/kube-api.js';
import { readKubernetesRecords } from './k8s/kube-records.js';
import { readAdminKubeconfig } from './k8s/admin-kubeconfig.js';
import { readNodeProcesses, type NodeProcessView, type RawOutputRecorder } from './read-node-processes.js';
import { redactText } from './redact-secrets.js';
import { withoutAgentPods } from './without-agent-pods.js';
import { SNAPSHOT_SCHEMA_VERSION, type KubernetesSnapshot, type NodeSnapshot, type ProcessRecord, type Snapshot } from './snapshot.js';

const debug = createDebugLogger('inspect');

export interface InspectDependencies {
  containers: ClusterContainers;
  exec: NodeExec;
  /** Connects to the API with a kubeconfig (the cluster's admin one unless the caller passes another). */
  kube: KubeClientFactory;
  now?: () => Date;
}

export interface InspectOptions {
  /** Cluster name; optional when exactly one kind cluster exists. */
  cluster?: string;
  kubeconfigText?: string;
  /** The command's own connection (verify and tour connect once and share it with the snapshot). */
  connectKube?: () => Promise<KubeApi>;
  /** The command in use, for the messages that help pick a lab ("verify" -> `lab verify NAME`). */
  command?: string;
  recordedWith?: string;
  record?: RawOutputRecorder;
}

/** Takes one snapshot of a cluster: every node in parallel, plus the API's view. */
export async function inspectCluster(deps: InspectDependencies, options: InspectOptions = {}): Promise<Snapshot> {
  const cluster = await resolveLabName(deps.containers, options.cluster, options.command ?? 'inspect');
  const containers = await deps.containers.listContainers(cluster);
  if (containers.length === 0) {
    throw new UsageError(`no containers found for cluster ${JSON.stringify(cluster)}`, {
      hint: 'list clusters with `lab list`',
    });
  }
  const capturedAt = (deps.now ?? (() => new Date()))();
  const warnings: string[] = [];
  const started = Date.now();

  const [nodes, kubernetes] = await Promise.all([
    Promise.all(containers.map((c) => inspectContainer(deps, c, warnings, options.record))),
    readKubernetes(deps, containers, options, warnings),
  ]);
  withoutAgentPods(nodes, kubernetes, deps.exec.ownPods?.() ?? []);
  nameImagesFromApi(nodes, kubernetes);
  debug(`inspected ${cluster} in ${Date.now() - started} ms`);
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster,
    capturedAt: capturedAt.toISOString(),
    ...(options.recordedWith ? { recordedWith: options.recordedWith } : {}),
    nodes,
    kubernetes,
    warnings,
  };
}

async function inspectContainer(
  deps: InspectDependencies,
  container: ClusterContainer,
  warnings: string[],
  record: RawOutputRecorder | undefined,
): Promise<NodeSnapshot> {
  const { name, role, hostPid, ...facts } = container;
  const node: NodeSnapshot = { name, role, container: facts, processes: [] };
  if (container.state !== 'running') {
    warnings.push(`${name} is ${container.state}: no processes or stats`);
    return node;
  }
  const isKubernetesNode = role === 'control-plane' || role === 'worker';
  const view = await readNodeProcesses(deps.exec, container, { withContainerd: isKubernetesNode, withStats: true, ...(record ? { record } : {}) }).catch(
    (error: unknown) => {
      warnings.push((error as Error).message);
      return undefined;
    },
  );
  if (view?.problem) warnings.push(view.problem);
  // Read with the processes when the node could (cgroup v1 and a cat), else sampled through Docker.
  const stats =
    view?.stats ??
    (await deps.containers.stats(container.id).catch((error: unknown) => {
      warnings.push(`failed to read stats of ${name}: ${(error as Error).message}`);
      return undefined;
    }));
  if (stats) node.stats = stats;
  if (view) {
    node.processes = joinedProcesses(view);
    if (view.containerd) node.containerd = view.containerd;
  }
  return node;
}

function joinedProcesses(view: NodeProcessView): ProcessRecord[] {
  return joinProcesses(view.processes, view.containerd).map((p) => ({ ...p, args: redactText(p.args) }));
}

/**
 * A Kubernetes node's processes and containerd view read again and joined as in inspectCluster, with
 * kindlab's agents left out and images named from the snapshot's API view: for verify, when one read
 * caught a pod sandbox between ps and crictl (src/verify/settle-sandbox-reads.ts). Errors are thrown.
 */
export async function rereadNodeProcesses(
  deps: Pick<InspectDependencies, 'exec'>,
  node: NodeSnapshot,
  kubernetes: KubernetesSnapshot,
): Promise<Pick<NodeSnapshot, 'processes' | 'containerd'>> {
  const view = await readNodeProcesses(deps.exec, node, { withContainerd: true });
  const fresh: NodeSnapshot = { ...node, processes: joinedProcesses(view) };
  if (view.containerd) fresh.containerd = view.containerd;
  // withoutAgentPods narrows the pod list it is given: hand it a copy, the snapshot's stays.
  withoutAgentPods([fresh], { ...kubernetes, pods: [...kubernetes.pods] }, deps.exec.ownPods?.() ?? []);
  nameImagesFromApi([fresh], kubernetes);
  return { processes: fresh.processes, ...(fresh.containerd ? { containerd: fresh.containerd } : {}) };
}

async function readKubernetes(
  deps: InspectDependencies,
  containers: readonly ClusterContainer[],
  options: InspectOptions,
  warnings: string[],
): Promise<KubernetesSnapshot> {
  try {
    const kube = await (options.connectKube?.() ?? deps.kube(options.kubeconfigText ?? (await readAdminKubeconfig(deps.exec, containers))));
    return await readKubernetesRecords(kube);
  } catch (error) {
    const message = error instanceof KindlabError ? error.message : `failed to read the Kubernetes API: ${(error as Error).message}`;
    warnings.push(message);
    return { nodes: [], pods: [], error: message };
  }
}

/** containerd 1.6 reports only the image id; the API knows the name the pod asked for. */
function nameImagesFromApi(nodes: NodeSnapshot[], kubernetes: KubernetesSnapshot): void {
  const byContainerId = new Map(kubernetes.pods.flatMap((p) => p.containers.filter((c) => c.containerId).map((c) => [c.containerId!, c.image] as const)));
  for (const node of nodes) {
    for (const container of node.containerd?.containers ?? []) {
      const name = byContainerId.get(container.id);
      if (name && (container.image === '' || container.image.startsWith('sha256:'))) container.image = name;
    }
  }
}
