/**
 * The snapshot `lab inspect` takes and `lab report` / `lab verify` / `lab tour` read.
 * Its JSON form is described by templates/schemas/snapshot-v1.schema.json; bump the version
 * whenever a field changes meaning so CI can refuse to diff incompatible runs.
 */
export const SNAPSHOT_SCHEMA_VERSION = 'kindlab.dev/snapshot/v1';

export type ContainerRole = 'control-plane' | 'worker' | 'external-load-balancer' | 'external-etcd';

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  cluster: string;
  capturedAt: string;
  /** The command line that produced this snapshot, kept so a fixture says how it was recorded. */
  recordedWith?: string;
  nodes: NodeSnapshot[];
  kubernetes: KubernetesSnapshot;
  /** Problems that made parts of the snapshot incomplete; the rest is still valid. */
  warnings: string[];
}

export interface NodeSnapshot {
  name: string;
  role: ContainerRole;
  container: ContainerFacts;
  stats?: ContainerStats;
  /** Sorted by pid; the inspector's own `ps`/`crictl` processes are left out. */
  processes: ProcessRecord[];
  containerd?: ContainerdView;
}

export interface ContainerFacts {
  id: string;
  image: string;
  state: string;
  status: string;
  ipv4?: string;
  ipv6?: string;
  /** Host ports published for container ports, e.g. { "6443/tcp": "127.0.0.1:41235" }. */
  ports: Record<string, string>;
  labels: Record<string, string>;
}

export interface ContainerStats {
  memoryBytes: number;
  memoryLimitBytes: number;
  /** CPU use as `docker stats` shows it (100 = one full CPU). */
  cpuPercent?: number;
  /** CPU time since the container started: snapshots taken before kindlab read stats through the docker CLI. */
  cpuSeconds?: number;
  onlineCpus?: number;
  pids?: number;
}

export interface ProcessRecord {
  pid: number;
  ppid: number;
  args: string;
  identity: ProcessIdentity;
}

export type ProcessKind = 'system' | 'shim' | 'pause' | 'container' | 'other';

export interface ProcessIdentity {
  kind: ProcessKind;
  /** What the process is (kubelet, etcd, ...), when it is a known component. */
  component?: string;
  sandboxId?: string;
  containerId?: string;
  /** Container name inside the pod. */
  container?: string;
  pod?: PodRef;
  /** For container processes: true for the container's first process, false for its descendants. */
  main?: boolean;
}

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface ContainerdView {
  sandboxes: SandboxRecord[];
  containers: CriContainerRecord[];
}

export interface SandboxRecord {
  id: string;
  pod: PodRef;
  state: string;
  createdAt: string;
  /** The pid of the sandbox's /pause process (crictl inspectp info.pid); absent when not running. */
  pid?: number;
}

export interface CriContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  image: string;
  state: string;
  createdAt: string;
  pid?: number;
}

export interface KubernetesSnapshot {
  nodes: KubeNodeRecord[];
  pods: KubePodRecord[];
  error?: string;
}

export interface KubeNodeRecord {
  name: string;
  roles: string[];
  ready: string;
  conditions: Array<{ type: string; status: string; reason?: string }>;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  osImage: string;
  kernelVersion: string;
  addresses: Array<{ type: string; address: string }>;
  createdAt: string;
  unschedulable: boolean;
}

export interface KubePodRecord {
  namespace: string;
  name: string;
  uid: string;
  nodeName?: string;
  phase: string;
  /** Static pods: created by a kubelet from a manifest file, mirrored into the API. */
  static: boolean;
  ownerKind?: string;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  containers: KubeContainerRecord[];
}

export interface KubeContainerRecord {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  state: string;
  containerId?: string;
}
