import { formatTable } from '../common/format-table.js';
import type { ReportModel } from './report-model.js';
import { fill } from './annotations.js';
import { processTreeText } from './layout-process-tree.js';
import { containerTable, nodeTable, podTable, type ReportTable } from './report-tables.js';

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
  out.push(...table(nodeTable(model)), '');

  out.push(`## ${h.containers}`);
  out.push(...table(containerTable(model)), '');

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
  out.push(...table(podTable(model)), '');

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

function table({ header, rows }: ReportTable): string[] {
  return formatTable(header, rows).split('\n');
}
