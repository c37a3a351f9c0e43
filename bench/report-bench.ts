/**
 * Time to inspect and render a report of a live cluster (target: a 4-node HA cluster within 2 s).
 *   npm run build && node dist/bench/report-bench.js <cluster> [runs]
 * Prints JSON: per phase the median and max in ms, plus the ratio against the manual baseline
 * (`docker exec <node> ps fxwwo pid,cmd` for every node, one after the other, via the docker CLI).
 */
import { performance } from 'node:perf_hooks';
import { ChildProcessCommandRunner } from '../src/common/child-process-command-runner.js';
import { defaultInspectDependencies } from '../src/inspect/default-inspect-dependencies.js';
import { inspectCluster } from '../src/inspect/inspect-cluster.js';
import { loadAnnotations } from '../src/report/annotations.js';
import { renderReport, REPORT_FORMATS } from '../src/report/render-report.js';

const cluster = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!cluster) {
  process.stderr.write('usage: node dist/bench/report-bench.js <cluster> [runs]\n');
  process.exit(2);
}

const runner = new ChildProcessCommandRunner();
const deps = defaultInspectDependencies();
const texts = loadAnnotations('en');
const samples: Record<string, number[]> = { inspect: [], total: [], baseline: [] };
for (const format of REPORT_FORMATS) samples[`render-${format}`] = [];
let nodes = 0;
let processes = 0;

for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const snapshot = await inspectCluster(deps, { cluster });
  const inspected = performance.now();
  samples.inspect!.push(inspected - start);
  let htmlDone = inspected;
  for (const format of REPORT_FORMATS) {
    const t0 = performance.now();
    await renderReport(snapshot, format, texts);
    const t1 = performance.now();
    samples[`render-${format}`]!.push(t1 - t0);
    if (format === 'html') htmlDone = inspected + (t1 - t0);
  }
  samples.total!.push(htmlDone - start);
  nodes = snapshot.nodes.length;
  processes = snapshot.nodes.reduce((sum, n) => sum + n.processes.length, 0);

  const b0 = performance.now();
  for (const node of snapshot.nodes.filter((n) => n.role === 'control-plane' || n.role === 'worker')) {
    await runner.run('docker', ['exec', node.name, 'ps', 'fxwwo', 'pid,cmd']);
  }
  samples.baseline!.push(performance.now() - b0);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const result = {
  cluster,
  runs,
  containers: nodes,
  processes,
  ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { median: Math.round(median(v)), max: Math.round(Math.max(...v)) }])),
  ratioTotalToBaseline: Number((median(samples.total!) / median(samples.baseline!)).toFixed(2)),
  targetMs: 2000,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
