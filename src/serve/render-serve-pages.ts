import { escapeHtml } from '../report/escape-html.js';
import type { VerifyCell } from './verify-cell.js';

/** One lab on the index: what `lab list` knows of it, and its last `lab verify`. */
export interface IndexRow {
  name: string;
  shape: string;
  state: string;
  nodes: string;
  verify: VerifyCell;
}

const HEAD = (title: string) =>
  `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n<title>${escapeHtml(title)}</title>\n<link rel="stylesheet" href="/assets/page.css">\n<link rel="stylesheet" href="/assets/drawing.css">\n<link rel="icon" href="/assets/icon.svg">\n`;

/** The shell of a lab's page: the script draws it from the server-sent events (no inline script: the CSP forbids it). */
export function renderLabPage(lab: string): string {
  return `${HEAD(`kindlab · ${lab}`)}<script src="/assets/elk.js"></script>
<script type="module" src="/assets/page.js"></script>
</head>
<body data-lab="${escapeHtml(lab)}">
<header><h1>${escapeHtml(lab)}</h1><span id="shape"></span><span id="status">connecting…</span><span id="tour" hidden></span><span id="captured"></span></header>
<main>
<section id="drawing"><div id="canvas" class="lab-drawing"><svg id="arrows" class="lab-arrows" aria-hidden="true"></svg><div id="boxes"></div></div></section>
<aside>
<section id="details"><h2>Details</h2><p id="detail-hint">Click a process or a pod.</p><pre id="detail-text"></pre></section>
<section id="controller"><h2>Controller loop</h2><p class="hint">Deployment → ReplicaSet → Pod → Scheduled → Started</p><ol id="controller-events"></ol></section>
<section id="warnings" hidden><h2>Warnings</h2><ul id="warning-list"></ul></section>
</aside>
</main>
</body>
</html>
`;
}

/** The instructor's view of the room: every lab with its shape, health and last verify, each linking to its page. */
/** How often the index reloads itself. */
export const INDEX_REFRESH_SECONDS = 15;

export function renderIndexPage(rows: readonly IndexRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-lab="${escapeHtml(r.name)}"><td><a href="/lab/${encodeURIComponent(r.name)}">${escapeHtml(r.name)}</a></td><td>${escapeHtml(r.shape)}</td><td class="state-${escapeHtml(r.state)}">${escapeHtml(r.state)}</td><td>${escapeHtml(r.nodes)}</td><td class="verify verify-${r.verify.status}" title="${escapeHtml(r.verify.title)}">${escapeHtml(r.verify.text)}</td></tr>`,
    )
    .join('\n');
  // The room's view stays current on the wall without a script (the CSP allows none inline): the browser
  // reloads it, and each load reads every lab's state and last verify afresh.
  return `${HEAD('kindlab · labs')}<meta http-equiv="refresh" content="${INDEX_REFRESH_SECONDS}">
</head>
<body class="index">
<header><h1>Labs</h1></header>
<main><table id="labs"><thead><tr><th>Lab</th><th>Shape</th><th>Health</th><th>Nodes</th><th>Verify</th></tr></thead>
<tbody>
${body}
</tbody></table></main>
</body>
</html>
`;
}
