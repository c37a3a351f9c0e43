import type { NodeSnapshot, ProcessRecord, Snapshot } from '../inspect/snapshot.js';
import { forestOrder } from '../inspect/process-tree.js';
import { redactRecord, redactText } from '../inspect/redact-secrets.js';
import { fill, type Annotations } from './annotations.js';
import { formatAgeSince } from '../common/format-age.js';
import { formatBytes } from '../common/format-bytes.js';
import type { NodeProcesses, ReportModel, RoleSummary } from './report-model.js';
import { topologyCounts } from '../inspect/topology-counts.js';

/** Components worth a line in the role summary, in the order the workshop introduces them. */
const SUMMARY_COMPONENTS = [
  'kube-apiserver',
  'etcd',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
  'containerd',
  'kube-proxy',
  'kindnetd',
  'flanneld',
  'coredns',
  'local-path-provisioner',
  'haproxy',
  'envoy',
];

/** What a container without a process list (its image has no ps) runs, known from its role label. */
const ROLE_COMPONENTS: Partial<Record<string, string[]>> = { 'external-etcd': ['etcd'], 'external-load-balancer': ['haproxy'] };

export function buildReportModel(snapshot: Snapshot, texts: Annotations): ReportModel {
  const capturedAt = new Date(snapshot.capturedAt);
  const nodes = snapshot.nodes.map((node) => nodeProcesses(node, texts));
  const versions = [...new Set(snapshot.kubernetes.nodes.map((n) => n.kubeletVersion).filter(Boolean))];
  return {
    title: fill(texts.headings.title ?? 'Cluster {cluster}', { cluster: snapshot.cluster }),
    cluster: snapshot.cluster,
    capturedAt: snapshot.capturedAt,
    kubernetesVersion: versions.join(', ') || 'unknown',
    topology: topologyCounts(snapshot.nodes),
    nodeTable: snapshot.kubernetes.nodes.map((n) => ({
      name: n.name,
      status: n.unschedulable ? `${n.ready},SchedulingDisabled` : n.ready,
      roles: n.roles.join(',') || '<none>',
      age: formatAgeSince(n.createdAt, capturedAt),
      version: n.kubeletVersion,
      internalIp: n.addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
      runtime: n.containerRuntimeVersion,
    })),
    containerTable: snapshot.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      image: n.container.image,
      ip: n.container.ipv4 ?? n.container.ipv6 ?? '',
      state: n.container.state,
      memory: n.stats ? formatBytes(n.stats.memoryBytes) : '',
      cpu: formatCpu(n.stats),
    })),
    roles: roleSummaries(snapshot, nodes, texts),
    nodes,
    pods: snapshot.kubernetes.pods.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      node: p.nodeName ?? '',
      phase: p.phase,
      static: p.static,
      containers: p.containers.map((c) => `${c.name}${c.ready ? '' : ' (not ready)'}`).join(', '),
      labels: keyValues(redactRecord(p.labels)),
      annotations: keyValues(redactRecord(p.annotations)),
    })),
    warnings: snapshot.warnings.map(redactText),
    headings: texts.headings,
    // Only the links this topology has: no load balancer line without a load balancer.
    communication: Object.fromEntries(
      Object.entries(texts.communication).filter(
        ([key]) => key !== 'loadBalancerToApiServer' || snapshot.nodes.some((n) => n.role === 'external-load-balancer'),
      ),
    ),
  };
}

function nodeProcesses(node: NodeSnapshot, texts: Annotations): NodeProcesses {
  const rows = forestOrder(node.processes).map(({ process, depth }) => ({
    pid: process.pid,
    depth,
    args: redactText(process.args),
    annotation: annotate(process, texts),
    kind: process.identity.kind,
    ...(process.identity.component ? { component: process.identity.component } : {}),
    ...(process.identity.pod ? { pod: `${process.identity.pod.namespace}/${process.identity.pod.name}` } : {}),
  }));
  return {
    name: node.name,
    role: node.role,
    heading: fill(texts.headings.processes ?? '{node}', { node: node.name }),
    components: componentsOf(node.processes).length > 0 ? componentsOf(node.processes) : (ROLE_COMPONENTS[node.role] ?? []),
    rows,
  };
}

export function annotate(process: ProcessRecord, texts: Annotations): string {
  const id = process.identity;
  const pod = id.pod ? `${id.pod.namespace}/${id.pod.name}` : undefined;
  const componentText = id.component ? texts.components[id.component] : undefined;
  const values = { pod, container: id.container, component: id.component, text: componentText };
  switch (id.kind) {
    case 'shim':
      return fill(pod ? texts.processes.shim : texts.processes.shimWithoutPod, values);
    case 'pause':
      return pod ? fill(texts.processes.pause, values) : (texts.components.pause ?? '');
    case 'container':
      if (componentText) return fill(texts.processes.componentContainer, values);
      return fill(id.main ? texts.processes.container : texts.processes.containerChild, values);
    case 'system':
      return componentText ? fill(texts.processes.system, values) : (id.component ?? '');
    default:
      return '';
  }
}

/** Components a node runs: its system services and the known programs inside its containers. */
export function componentsOf(processes: readonly ProcessRecord[]): string[] {
  const found = new Set<string>();
  for (const p of processes) {
    const id = p.identity;
    if (id.component && (id.kind === 'system' || id.kind === 'container')) found.add(id.component);
  }
  return SUMMARY_COMPONENTS.filter((c) => found.has(c)).concat(
    [...found].filter((c) => !SUMMARY_COMPONENTS.includes(c) && c !== 'systemd' && c !== 'journald').sort(),
  );
}

function roleSummaries(snapshot: Snapshot, nodes: NodeProcesses[], texts: Annotations): RoleSummary[] {
  const roles = [...new Set(snapshot.nodes.map((n) => n.role))];
  return roles.map((role) => {
    const members = nodes.filter((n) => n.role === role);
    const all = [...new Set(members.flatMap((n) => n.components))];
    const ordered = SUMMARY_COMPONENTS.filter((c) => all.includes(c)).concat(all.filter((c) => !SUMMARY_COMPONENTS.includes(c)));
    return {
      role,
      title: texts.roles[role]?.title ?? role,
      text: texts.roles[role]?.text ?? '',
      nodes: members.map((n) => n.name),
      components: ordered.map((component) => {
        const on = members.filter((n) => n.components.includes(component)).map((n) => n.name);
        return { component, text: texts.components[component] ?? '', everywhere: on.length === members.length, nodes: on };
      }),
    };
  });
}

function keyValues(record: Record<string, string>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function formatCpu(stats: NodeSnapshot['stats']): string {
  if (stats?.cpuPercent !== undefined) return `${stats.cpuPercent.toFixed(1)}%`;
  return stats?.cpuSeconds !== undefined ? `${stats.cpuSeconds.toFixed(1)}s` : '';
}
