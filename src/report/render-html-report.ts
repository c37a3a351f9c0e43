import { fill } from './annotations.js';
import { escapeHtml } from './escape-html.js';
import { layoutProcessTree } from './layout-process-tree.js';
import { renderClusterDiagramSvg } from './render-cluster-diagram.js';
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
svg.diagram{max-width:100%;height:auto;background:#fbfcfe;border:1px solid var(--line);border-radius:8px}
svg .node>rect{stroke:#8a94a6;stroke-width:1.2}svg .role-control-plane>rect{fill:var(--cp)}svg .role-worker>rect{fill:var(--worker)}
svg .role-external-load-balancer>rect,svg .role-external-etcd>rect{fill:var(--aux)}
svg .node-name{font-weight:700;font-size:12.5px}svg .node-role{fill:var(--muted);font-size:11px}
svg .pill rect{fill:#fff;stroke:#9aa5b8}svg .pill text{font-size:12px;font-family:ui-monospace,monospace}
svg .c-kube-apiserver rect{fill:#dbe7ff;stroke:#3565c8}svg .c-etcd rect{fill:#ffe9d6;stroke:#c26b1a}svg .c-kubelet rect{fill:#dcf5e4;stroke:#2f8a4c}
svg line,svg path{fill:none;stroke-width:1.6}svg .to-api{stroke:#3565c8}svg .to-kubelet{stroke:#2f8a4c;stroke-dasharray:5 4}svg .to-etcd{stroke:#c26b1a}svg .from-lb{stroke:#7b3fa0}
svg .m-to-api path{fill:#3565c8}svg .m-to-kubelet path{fill:#2f8a4c}svg .m-to-etcd path{fill:#c26b1a}svg .m-from-lb path{fill:#7b3fa0}
.legend span{display:inline-block;margin-right:18px}.legend i{display:inline-block;width:26px;height:0;border-top:2px solid;vertical-align:middle;margin-right:6px}
`;

/** One self-contained page: inline CSS and SVG, no scripts, no external assets; every text escaped. */
export function renderHtmlReport(model: ReportModel, options: { commandWidth?: number } = {}): string {
  const h = model.headings;
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  parts.push(`<title>${e(model.title)}</title><style>${STYLE}</style></head><body><main>`);
  parts.push(
    `<h1>${e(model.title)}</h1><p class="meta">Kubernetes ${e(model.kubernetesVersion)} · ${e(topologyLine(model))} · ${e(fill(h.captured ?? '', { capturedAt: model.capturedAt }))}</p>`,
  );

  parts.push(`<h2>${e(h.diagram ?? '')}</h2>${renderClusterDiagramSvg(model)}`);
  const c = model.communication;
  parts.push(
    `<p class="legend"><span><i style="color:#3565c8"></i>${e(c.workerToApiServer ?? '')}</span><span><i style="color:#2f8a4c;border-top-style:dashed"></i>${e(c.apiServerToKubelet ?? '')}</span><span><i style="color:#c26b1a"></i>${e(c.apiServerToEtcd ?? '')}</span>${model.topology.loadBalancer ? `<span><i style="color:#7b3fa0"></i>${e(c.loadBalancerToApiServer ?? '')}</span>` : ''}</p>`,
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
    parts.push(`<h2 id="node-${e(node.name)}">${e(node.heading)} <span class="meta">(${e(node.role)})</span></h2>`);
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
