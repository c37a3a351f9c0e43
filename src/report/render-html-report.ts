import { fill } from './annotations.js';
import { escapeHtml } from './escape-html.js';
import { layoutProcessTree } from './layout-process-tree.js';
import { drawingCss, nodeSectionId } from './render-lab-drawing-html.js';
import type { ReportModel } from './report-model.js';
import { topologyLine } from './render-text-report.js';
import { containerTable, nodeTable, podTable, type ReportTable } from './report-tables.js';

const STYLE = `
:root{--bg:#fff;--fg:#1d2330;--muted:#5b6475;--line:#d7dce5;--cp:#e8f0fe;--worker:#e9f7ef;--aux:#fff4e5}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1320px;margin:0 auto;padding:24px}h1{margin:0 0 4px;font-size:24px}h2{margin:32px 0 10px;font-size:19px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f7fa;font-weight:600}code,pre,.tree td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.tree{width:100%}.tree td.pid{text-align:right;color:var(--muted);white-space:pre;width:1%}.tree td.cmd{white-space:pre;overflow-wrap:anywhere}
.tree td.note{font-family:system-ui,sans-serif;font-size:13px;color:#24324a;width:40%}.tree tr.more td{border-bottom:none}
.k-shim td.cmd{color:#7a4d00}.k-pause td.cmd{color:#8a8f98}.k-container td.cmd{color:#0b5d1e}.k-system td.cmd{color:#0b3d91;font-weight:600}
.role-card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin:10px 0}.role-card ul{margin:4px 0 4px 18px;padding:0}
.some{color:var(--muted)}.warn{color:#9a3412}
.drawing-scroll{width:calc(100vw - 24px);margin-left:calc(50% - 50vw + 12px);overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:#fbfcfe}
`;

/**
 * One self-contained page: inline CSS and SVG, no scripts, no external assets; every text escaped.
 * `drawing` is the lab's drawing (renderLabDrawingHtml), laid out before: the live page's picture.
 */
export function renderHtmlReport(model: ReportModel, drawing: string, options: { commandWidth?: number } = {}): string {
  const h = model.headings;
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  parts.push(`<title>${e(model.title)}</title><style>${STYLE}${drawingCss()}</style></head><body><main>`);
  parts.push(
    `<h1>${e(model.title)}</h1><p class="meta">Kubernetes ${e(model.kubernetesVersion)} · ${e(topologyLine(model))} · ${e(fill(h.captured ?? '', { capturedAt: model.capturedAt }))}</p>`,
  );

  parts.push(`<h2>${e(h.diagram ?? '')}</h2><div class="drawing-scroll">${drawing}</div>`);
  const c = model.communication;
  const legend: Array<[string, string, string | undefined]> = [
    ['#0b5cad', 'solid', c.workerToApiServer],
    ['#1a7f37', 'dashed', c.apiServerToKubelet],
    ['#cf222e', 'solid', c.apiServerToEtcd],
    ...(model.topology.loadBalancer ? [['#0b5cad', 'solid', c.loadBalancerToApiServer] as [string, string, string | undefined]] : []),
  ];
  parts.push(
    `<p class="drawing-legend">${legend.map(([colour, style, text]) => `<span><i style="color:${colour};border-top-style:${style}"></i>${e(text ?? '')}</span>`).join('')}</p>`,
  );

  parts.push(`<h2>${e(h.nodes ?? '')}</h2>`);
  parts.push(table(nodeTable(model)));
  parts.push(`<h2>${e(h.containers ?? '')}</h2>`);
  parts.push(table(containerTable(model)));

  parts.push(`<h2>${e(h.roles ?? '')}</h2>`);
  for (const role of model.roles) {
    const items = role.components
      .map(
        (comp) =>
          `<li><code>${e(comp.component)}</code>${comp.text ? ` — ${e(comp.text)}` : ''}${comp.everywhere ? '' : ` <span class="some">(${e(h.onSome ?? '')}: ${e(comp.nodes.join(', '))})</span>`}</li>`,
      )
      .join('');
    parts.push(
      `<div class="role-card"><strong>${e(role.title)}</strong> <span class="meta">${e(role.nodes.join(', '))}</span><p>${e(role.text)}</p><ul>${items}</ul></div>`,
    );
  }

  for (const node of model.nodes) {
    parts.push(`<h2 id="${e(nodeSectionId(node.name))}">${e(node.heading)} <span class="meta">(${e(node.role)})</span></h2>`);
    const { lines } = layoutProcessTree(node.rows, { commandWidth: options.commandWidth ?? 90, annotationWidth: 0 });
    const rows = lines.map((l) => {
      const cls = `k-${l.row.kind}${l.first ? '' : ' more'}`;
      return `<tr class="${e(cls)}"><td class="pid">${e(l.first ? String(l.row.pid) : '')}</td><td class="cmd">${e(l.command)}</td><td class="note">${l.first ? e(l.row.annotation) : ''}</td></tr>`;
    });
    parts.push(`<table class="tree"><thead><tr><th>PID</th><th>CMD</th><th>ROLE</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }

  parts.push(`<h2>${e(h.pods ?? '')}</h2>`);
  parts.push(table(podTable(model, ['labels', 'annotations'])));
  if (model.warnings.length > 0) {
    parts.push(`<h2>${e(h.warnings ?? '')}</h2><ul class="warn">${model.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`);
  }
  parts.push('</main></body></html>\n');
  return parts.join('\n');
}

function table({ header, rows }: ReportTable): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
