import { formatTable } from '../common/format-table.js';
import type { ReportModel } from './report-model.js';
import { fill } from './annotations.js';
import { processTreeText } from './layout-process-tree.js';

export interface TextReportOptions {
  commandWidth?: number;
  annotationWidth?: number;
}

/** Plain text for terminals. */
export function renderTextReport(model: ReportModel, options: TextReportOptions = {}): string {
  const commandWidth = options.commandWidth ?? 70;
  const annotationWidth = options.annotationWidth ?? 64;
  const out: string[] = [];
  const h = model.headings;
  out.push(`${model.title} (Kubernetes ${model.kubernetesVersion}), ${fill(h.captured ?? '{capturedAt}', { capturedAt: model.capturedAt })}`);
  out.push(topologyLine(model), '');

  out.push(`## ${h.nodes}`);
  out.push(
    ...table(
      ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'CONTAINER-RUNTIME'],
      model.nodeTable.map((r) => [r.name, r.status, r.roles, r.age, r.version, r.internalIp, r.runtime]),
    ),
    '',
  );

  out.push(`## ${h.containers}`);
  out.push(
    ...table(
      ['NAME', 'ROLE', 'IMAGE', 'IP', 'STATE', 'MEM', 'CPU'],
      model.containerTable.map((r) => [r.name, r.role, r.image, r.ip, r.state, r.memory, r.cpu]),
    ),
    '',
  );

  out.push(`## ${h.roles}`);
  for (const role of model.roles) {
    out.push(`${role.title} (${role.nodes.join(', ')}): ${role.text}`);
    for (const c of role.components) {
      const where = c.everywhere ? h.onEvery : `${h.onSome}: ${c.nodes.join(', ')}`;
      out.push(`  - ${c.component}${c.text ? `: ${c.text}` : ''} [${where}]`);
    }
  }
  out.push('');
  out.push(`## ${h.diagram}`);
  for (const line of Object.values(model.communication)) out.push(`  - ${line}`);
  out.push('');

  for (const node of model.nodes) {
    out.push(`## ${node.heading} [${node.role}]`);
    out.push(...processTreeText(node.rows, { commandWidth, annotationWidth }).map((l) => `  ${l}`.trimEnd()), '');
  }

  out.push(`## ${h.pods}`);
  out.push(
    ...table(
      ['NAMESPACE', 'NAME', 'NODE', 'PHASE', 'STATIC', 'CONTAINERS'],
      model.pods.map((p) => [p.namespace, p.name, p.node, p.phase, p.static ? 'yes' : '', p.containers]),
    ),
    '',
  );

  if (model.warnings.length > 0) {
    out.push(`## ${h.warnings}`, ...model.warnings.map((w) => `  - ${w}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function topologyLine(model: ReportModel): string {
  const t = model.topology;
  const parts = [`${t.controlPlanes} control plane${t.controlPlanes === 1 ? '' : 's'}`, `${t.workers} worker${t.workers === 1 ? '' : 's'}`];
  if (t.loadBalancer) parts.push('load balancer');
  parts.push(t.externalEtcd ? 'external etcd' : 'stacked etcd');
  return parts.join(', ');
}

function table(header: string[], rows: string[][]): string[] {
  return formatTable(header, rows).split('\n');
}
