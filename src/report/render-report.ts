import type { Snapshot } from '../inspect/snapshot.js';
import type { ElkLike } from '../serve/browser/lab-drawing-layout.js';
import { redactSnapshot } from '../inspect/redact-snapshot.js';
import type { Annotations } from './annotations.js';
import { buildReportModel } from './build-report-model.js';
import { renderHtmlReport } from './render-html-report.js';
import { renderLabDrawingHtml } from './render-lab-drawing-html.js';
import { renderMarkdownReport } from './render-markdown-report.js';
import { renderTextReport } from './render-text-report.js';
import type { ReportFormat } from './report-formats.js';

export { REPORT_FORMATS, type ReportFormat } from './report-formats.js';

/**
 * Snapshot in, text out. json is the snapshot itself, redacted again in case it was edited since. Async: the html drawing's
 * layout (ELK) is; `elk` lays it out (default: ELK in a worker thread).
 */
export async function renderReport(snapshot: Snapshot, format: ReportFormat, texts: Annotations, options: { elk?: ElkLike } = {}): Promise<string> {
  if (format === 'json') return `${JSON.stringify(redactSnapshot(snapshot), null, 2)}\n`;
  const model = buildReportModel(snapshot, texts);
  switch (format) {
    case 'text':
      return renderTextReport(model);
    case 'md':
      return renderMarkdownReport(model);
    case 'html':
      return renderHtmlReport(model, await renderLabDrawingHtml(snapshot, texts, options.elk));
  }
}
