import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { NodeExec } from '../node/node-exec.js';
import type { KubeApi } from '../kube/kube-api.js';
import type { ClusterTopology } from './cluster-topology.js';

/** One block of output a step shows: preformatted text, with the command a workshop would type for it. */
export interface TourView {
  title: string;
  /** Equivalent command for the audience to try themselves (display only, never executed). */
  command?: string;
  body: string;
}

/** The annotated process tree of one node, as src/report renders it, plus what each process is. */
export interface NodeProcessTree {
  text: string;
  processes: TreeProcess[];
}

export interface TreeProcess {
  pid: number;
  args: string;
  /** kubelet, etcd, kube-proxy, ... or `shim` / `pause` for the per-pod processes. */
  component: string | undefined;
  /** namespace/name of the pod the process belongs to, if any. */
  pod: string | undefined;
}

export interface ProcessTreeSource {
  nodeTree(nodeName: string): Promise<NodeProcessTree>;
}

/** Name, labels and owner annotation of an object the tour creates. */
export function tourObjectMeta(ctx: TourContext, name: string): V1ObjectMeta {
  return { name, labels: { ...ctx.objectLabels }, annotations: { ...ctx.objectAnnotations } };
}

/** What every action gets: the cluster, the APIs to reach it, and where to record what it created. */
export interface TourContext {
  topology: ClusterTopology;
  exec: NodeExec;
  kube: KubeApi;
  trees: ProcessTreeSource;
  namespace: string;
  /** Put on every object the tour creates, so cleanup finds this run's objects by label. */
  objectLabels: Record<string, string>;
  /** Who owns this run (src/common/run-owner.ts), so a later tour can tell a dead run's leftovers. */
  objectAnnotations: Record<string, string>;
  /** The lab file's object name with this run's id: two tours on one lab never touch each other's objects. */
  objectName(name: string): string;
  signal: AbortSignal;
  timeouts: { waitMs: number; pollMs: number };
  /** A pod image present in the nodes already (the sandbox pause image), resolved once. */
  podImage(): Promise<string>;
  now(): Date;
}
