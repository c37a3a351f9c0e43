import type { TopologyCounts } from '../inspect/topology-counts.js';
import type { Annotations } from './annotations.js';
import type { ContainerRole, ProcessKind } from '../inspect/snapshot.js';

/** What every renderer shows, computed once from a snapshot; renderers only lay it out. */
export interface ReportModel {
  title: string;
  cluster: string;
  capturedAt: string;
  kubernetesVersion: string;
  topology: TopologyCounts;
  nodeTable: NodeTableRow[];
  containerTable: ContainerTableRow[];
  roles: RoleSummary[];
  nodes: NodeProcesses[];
  pods: PodRow[];
  warnings: string[];
  /** The texts of the annotations file, as loaded. */
  headings: Annotations['headings'];
  /** The annotations' communication texts for the links this topology has. */
  communication: Annotations['communication'];
}

export interface NodeTableRow {
  name: string;
  status: string;
  roles: string;
  age: string;
  version: string;
  internalIp: string;
  runtime: string;
}

export interface ContainerTableRow {
  name: string;
  role: ContainerRole;
  image: string;
  ip: string;
  state: string;
  memory: string;
  cpu: string;
}

export interface RoleSummary {
  role: ContainerRole;
  title: string;
  text: string;
  nodes: string[];
  components: Array<{ component: string; text: string; everywhere: boolean; nodes: string[] }>;
}

export interface NodeProcesses {
  name: string;
  role: ContainerRole;
  heading: string;
  components: string[];
  rows: ProcessRow[];
}

export interface ProcessRow {
  pid: number;
  depth: number;
  args: string;
  annotation: string;
  kind: ProcessKind;
  component?: string;
  pod?: string;
}

export interface PodRow {
  namespace: string;
  name: string;
  node: string;
  phase: string;
  static: boolean;
  containers: string;
  labels: string;
  annotations: string;
}
