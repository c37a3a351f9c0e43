import type { ReportModel } from './report-model.js';
import { groupByRole } from '../inspect/group-by-role.js';

/** Mermaid text for Markdown (GitHub renders it). Labels are quoted; quotes inside are dropped. */
export function renderClusterDiagramMermaid(model: ReportModel): string {
  const id = (text: string) => text.replace(/[^A-Za-z0-9_]/g, '_');
  const label = (text: string) => `"${text.replace(/["<>`]/g, '')}"`;
  const lines = ['flowchart TB'];
  for (const node of model.nodes) {
    lines.push(`  subgraph ${id(node.name)}[${label(`${node.name} (${node.role})`)}]`);
    for (const c of node.components) lines.push(`    ${id(node.name)}__${id(c)}[${label(c)}]`);
    if (node.components.length === 0) lines.push(`    ${id(node.name)}__empty[${label(node.role)}]`);
    lines.push('  end');
  }
  const { controlPlanes: cps, workers, loadBalancer: lb, externalEtcd: etcdNode } = groupByRole(model.nodes);
  const api = (n: { name: string }) => `${id(n.name)}__kube_apiserver`;
  const target = lb ? id(lb.name) : cps[0] ? api(cps[0]) : undefined;
  for (const w of workers) {
    if (target && w.components.includes('kubelet')) lines.push(`  ${id(w.name)}__kubelet --> ${target}`);
    if (target && w.components.includes('kube-proxy')) lines.push(`  ${id(w.name)}__kube_proxy --> ${target}`);
    if (cps[0] && w.components.includes('kubelet')) lines.push(`  ${api(cps[0])} -.-> ${id(w.name)}__kubelet`);
  }
  for (const cp of cps) {
    if (!cp.components.includes('kube-apiserver')) continue;
    if (cp.components.includes('kube-scheduler')) lines.push(`  ${id(cp.name)}__kube_scheduler --> ${api(cp)}`);
    if (cp.components.includes('kube-controller-manager')) lines.push(`  ${id(cp.name)}__kube_controller_manager --> ${api(cp)}`);
    if (cp.components.includes('etcd')) lines.push(`  ${api(cp)} --> ${id(cp.name)}__etcd`);
    if (etcdNode) lines.push(`  ${api(cp)} --> ${id(etcdNode.name)}`);
    if (lb) lines.push(`  ${id(lb.name)} --> ${api(cp)}`);
  }
  return lines.join('\n');
}
