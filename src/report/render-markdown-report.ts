import { fill } from './annotations.js';
import { processTreeText } from './layout-process-tree.js';
import { renderClusterDiagramMermaid } from './render-cluster-diagram.js';
import type { ReportModel } from './report-model.js';
import { topologyLine } from './render-text-report.js';
import { containerTable, nodeTable, podTable, type ReportTable } from './report-tables.js';

/** GitHub-flavoured Markdown: tables, a Mermaid diagram and each tree in a fenced block. */
export function renderMarkdownReport(model: ReportModel, options: { commandWidth?: number; annotationWidth?: number } = {}): string {
  const h = model.headings;
  const out: string[] = [];
  out.push(`# ${cell(model.title)}`, '');
  out.push(`Kubernetes ${cell(model.kubernetesVersion)}; ${topologyLine(model)}; ${cell(fill(h.captured ?? '', { capturedAt: model.capturedAt }))}.`, '');

  out.push(`## ${h.diagram}`, '', '```mermaid', renderClusterDiagramMermaid(model), '```', '');
  for (const line of Object.values(model.communication)) out.push(`- ${cell(line)}`);
  out.push('');

  out.push(`## ${h.nodes}`, '');
  out.push(...mdTable(nodeTable(model)), '');

  out.push(`## ${h.containers}`, '');
  out.push(...mdTable(containerTable(model)), '');

  out.push(`## ${h.roles}`, '');
  for (const role of model.roles) {
    out.push(`### ${cell(role.title)} (${cell(role.nodes.join(', '))})`, '', cell(role.text), '');
    for (const c of role.components) {
      const where = c.everywhere ? h.onEvery : `${h.onSome}: ${c.nodes.join(', ')}`;
      out.push(`- **${cell(c.component)}**${c.text ? `: ${cell(c.text)}` : ''} (${cell(where ?? '')})`);
    }
    out.push('');
  }

  for (const node of model.nodes) {
    out.push(`## ${cell(node.heading)} (${node.role})`, '');
    const text = processTreeText(node.rows, { commandWidth: options.commandWidth ?? 70, annotationWidth: options.annotationWidth ?? 64 }).join('\n');
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
    out.push(`${fence}text`, text, fence, '');
  }

  out.push(`## ${h.pods}`, '');
  out.push(...mdTable(podTable(model, ['annotations'])), '');
  if (model.warnings.length > 0) out.push(`## ${h.warnings}`, '', ...model.warnings.map((w) => `- ${cell(w)}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * Text in Markdown: HTML-escaped (GitHub renders inline HTML) and with Markdown's active characters
 * backslash-escaped, so a label like `<script>` or `*x*` shows as written.
 */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

function mdTable({ header, rows }: ReportTable): string[] {
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
}
