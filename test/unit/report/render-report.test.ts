import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/inspect/snapshot.js';
import { loadAnnotations } from '../../../src/report/annotations.js';
import { buildReportModel } from '../../../src/report/build-report-model.js';
import { processTreeText } from '../../../src/report/layout-process-tree.js';
import { renderReport, REPORT_FORMATS } from '../../../src/report/render-report.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const texts = loadAnnotations('en');
const HOSTILE = '<script>alert(1)</script>';

function withHostileText(snapshot: Snapshot): Snapshot {
  const copy = structuredClone(snapshot);
  const pod = copy.kubernetes.pods[0]!;
  pod.annotations['dev.kindlab.note'] = HOSTILE;
  pod.labels['x'] = '"><img src=x onerror=alert(2)>';
  const process = copy.nodes.find((n) => n.processes.length > 0)!.processes.at(-1)!;
  process.args = `${process.args} ${HOSTILE} --token=hunter2-secret`;
  copy.warnings.push(`*bold* | ${HOSTILE}`);
  return copy;
}

describe.each(TOPOLOGIES)('report of the recorded %s cluster', (topology) => {
  const snapshot = loadSnapshot(topology);
  const model = buildReportModel(snapshot, texts);
  const kubeNodes = snapshot.nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker');

  it('annotates kubelet, containerd, shims and pause with the texts from templates/annotations/en.yaml', async () => {
    const text = await renderReport(snapshot, 'text', texts);
    for (const node of kubeNodes) {
      const rows = model.nodes.find((n) => n.name === node.name)!.rows;
      expect(rows.find((r) => r.component === 'kubelet')?.annotation).toBe(`kubelet: ${texts.components.kubelet}`);
      expect(rows.find((r) => r.component === 'containerd')?.annotation).toContain(texts.components.containerd);
      for (const row of rows.filter((r) => r.kind === 'shim'))
        expect(row.annotation).toBe(`shim of pod ${row.pod}: keeps its containers running independently of containerd`);
      for (const row of rows.filter((r) => r.kind === 'pause')) expect(row.annotation).toBe(`/pause: holds the namespaces of pod ${row.pod}`);
      expect(text).toContain(node.name);
    }
    expect(text).toContain('manages pod descriptions and controls the container runtime');
  });

  it('has a text for every component found in the cluster', () => {
    const found = new Set(snapshot.nodes.flatMap((n) => n.processes.map((p) => p.identity.component)).filter((c): c is string => !!c));
    for (const component of found) expect(texts.components[component], component).toBeTruthy();
  });

  it('draws the ps f tree and folds long command lines to the column width', () => {
    for (const node of model.nodes.filter((n) => n.rows.length > 0)) {
      const lines = processTreeText(node.rows, { commandWidth: 60, annotationWidth: 0 });
      expect(lines[0]).toMatch(/^\s+PID CMD$/);
      const pidWidth = lines[0]!.indexOf('PID') + 3;
      for (const line of lines.slice(1)) {
        const command = line.slice(pidWidth + 1);
        // Only an argument longer than a whole line may exceed it, alone on its line.
        if (command.length > 60) expect(command.replace(/^[\s\\_]+/, '')).not.toContain(' ');
      }
      const longest = Math.max(...node.rows.map((r) => r.args.length));
      if (longest > 60) expect(lines.length).toBeGreaterThan(node.rows.length + 1);
      // Children of shims are drawn with ps's art.
      const pause = node.rows.find((r) => r.kind === 'pause');
      if (pause) expect(lines.some((l) => l.includes(` \\_ ${pause.args.slice(0, 10)}`))).toBe(true);
    }
  });

  it('lists the nodes like kubectl get nodes', async () => {
    const text = await renderReport(snapshot, 'text', texts);
    expect(text).toMatch(/NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    for (const node of snapshot.kubernetes.nodes) {
      expect(text).toMatch(
        new RegExp(`${node.name}\\s+${node.ready}\\s+${node.roles.join(',') || '<none>'}\\s+\\S+\\s+${node.kubeletVersion.replaceAll('.', '\\.')}`),
      );
    }
  });

  it('summarises per role what runs on every node of that role', () => {
    const cp = model.roles.find((r) => r.role === 'control-plane')!;
    for (const c of ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'kubelet', 'containerd']) {
      expect(cp.components.find((x) => x.component === c)?.everywhere, c).toBe(true);
    }
    const worker = model.roles.find((r) => r.role === 'worker');
    if (worker) {
      const names = worker.components.map((c) => c.component);
      expect(names).toEqual(expect.arrayContaining(['kubelet', 'containerd', 'kube-proxy']));
      expect(names.some((c) => c === 'kindnetd' || c === 'flanneld')).toBe(true);
      expect(worker.components.map((c) => c.component)).not.toContain('kube-apiserver');
    }
  });

  it('html is self-contained, with the live page drawing: every node linked to its process tree, every pod a folding group', async () => {
    const html = await renderReport(snapshot, 'html', texts);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|\ssrc=|@import|url\(http/i);
    expect(html).toContain('<svg class="lab-arrows"');
    for (const node of snapshot.nodes) {
      expect(html).toContain(`<a class="node-name" href="#node-${node.name}">${node.name}</a>`);
      expect(html).toContain(`<h2 id="node-${node.name}">`);
    }
    expect(html.match(/<details class="pod[^"]*" open data-pod=/g)).toHaveLength(snapshot.kubernetes.pods.length);
    expect(html).toContain('class="arrow arrow-kube-apiserver"');
    expect(html).toContain('class="arrow arrow-kubelet"');
    if (snapshot.nodes.some((n) => n.role === 'external-load-balancer')) expect(html).toContain('class="arrow arrow-haproxy"');
  });

  it.each(REPORT_FORMATS.filter((f) => f !== 'json'))('escapes hostile text and redacts secrets in %s', async (format) => {
    const out = await renderReport(withHostileText(snapshot), format, texts);
    expect(out).not.toContain('hunter2-secret');
    if (format === 'text') {
      expect(out).toContain(HOSTILE);
      return;
    }
    // Markdown shows code blocks literally, so the tree keeps the text as written; everywhere else it is escaped.
    const outside = format === 'md' ? out.replace(/^(`{3,})text\n[\s\S]*?^\1$/gm, '') : out;
    if (format === 'md') expect(out).toContain(HOSTILE);
    expect(outside).not.toContain(HOSTILE);
    expect(outside).not.toContain('<img');
    expect(outside).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('json is the snapshot, secrets redacted', async () => {
    const out = await renderReport(withHostileText(snapshot), 'json', texts);
    expect(out).not.toContain('hunter2-secret');
    expect(JSON.parse(out).schemaVersion).toBe(snapshot.schemaVersion);
  });
});

describe('markdown', () => {
  it('carries a mermaid diagram with an arrow from each worker kubelet to the API', async () => {
    const snapshot = loadSnapshot('multi');
    const md = await renderReport(snapshot, 'md', texts);
    expect(md).toContain('```mermaid\nflowchart TB');
    for (const worker of snapshot.nodes.filter((n) => n.role === 'worker')) {
      expect(md).toMatch(new RegExp(`${worker.name.replace(/[^A-Za-z0-9_]/g, '_')}__kubelet --> `));
    }
  });
});
