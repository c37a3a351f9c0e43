import type { Snapshot } from '../inspect/snapshot.js';
import { redactRecord, redactText } from '../inspect/redact-secrets.js';
import type { Annotations } from './annotations.js';
import { buildReportModel } from './build-report-model.js';
import { renderHtmlReport } from './render-html-report.js';
import { renderMarkdownReport } from './render-markdown-report.js';
import { renderTextReport } from './render-text-report.js';

export const REPORT_FORMATS = ['text', 'md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Snapshot in, text out. json is the snapshot itself, redacted again in case it was edited since. */
export function renderReport(snapshot: Snapshot, format: ReportFormat, texts: Annotations): string {
  if (format === 'json') return `${JSON.stringify(redactSnapshot(snapshot), null, 2)}\n`;
  const model = buildReportModel(snapshot, texts);
  switch (format) {
    case 'text':
      return renderTextReport(model);
    case 'md':
      return renderMarkdownReport(model);
    case 'html':
      return renderHtmlReport(model);
  }
}

function redactSnapshot(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((n) => ({ ...n, processes: n.processes.map((p) => ({ ...p, args: redactText(p.args) })) })),
    kubernetes: {
      ...snapshot.kubernetes,
      pods: snapshot.kubernetes.pods.map((p) => ({ ...p, labels: redactRecord(p.labels), annotations: redactRecord(p.annotations) })),
    },
  };
}
