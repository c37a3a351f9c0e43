import { topologyLabel } from './cluster-topology.js';
import type { StepRecord, TourEvent, TourRecord } from './run-tour.js';
import { failedChecks } from './run-tour.js';
import { indentLines } from '../common/indent-lines.js';

/** Terminal output, one event at a time, so an interactive tour prints as it goes. */
export function renderTourHeader(record: TourRecord): string {
  const lines = [`${record.lab.title}: a live tour of cluster ${record.topology.cluster}`, `Topology: ${topologyLabel(record.topology)}`];
  if (record.lab.intro) lines.push('', wrap(record.lab.intro, 100));
  return `${lines.join('\n')}\n`;
}

export function renderTourEvent(event: TourEvent): string {
  switch (event.kind) {
    case 'chapter':
      return `\n=== Chapter ${event.number}/${event.total}: ${event.chapter.title}\n`;
    case 'step-start': {
      const lines = [`\n--- ${event.number} ${event.step.title}`, '', wrap(event.step.narration, 100)];
      return `${lines.join('\n')}\n`;
    }
    case 'step-done':
      return renderStepResult(event.record);
  }
}

export function renderStepResult(step: StepRecord): string {
  const out: string[] = [];
  if (step.step.demo) out.push('', `Workshop demo: ${step.step.demo}`);
  for (const name of step.step.show) {
    const view = step.outcome?.views[name];
    if (!view) continue;
    out.push('', view.command ? `${view.title}   $ ${view.command}` : view.title, indentLines(view.body, 4));
  }
  if (step.outcome && step.outcome.findings.length > 0) out.push('', ...step.outcome.findings.map((f) => `* ${f}`));
  for (const note of step.notes) out.push('', `On this topology: ${wrap(note, 100)}`);
  if (step.error) out.push('', `error: ${step.error}`);
  out.push('', ...step.checks.map((c) => `[${c.passed ? ' ok ' : 'FAIL'}] ${c.name}: ${c.detail}`));
  return `${out.join('\n')}\n`;
}

export function renderTourSummary(record: TourRecord): string {
  const failed = failedChecks(record);
  const total = record.steps.reduce((n, s) => n + s.checks.length, 0);
  const head = record.completed ? 'Tour finished' : `Tour stopped after ${record.steps.length} step(s)`;
  const lines = [`\n${head}: ${total - failed.length}/${total} checks passed.`];
  for (const { step, check } of failed) lines.push(`  FAIL ${step.number} ${step.step.id} ${check.name}: ${check.detail}`);
  return `${lines.join('\n')}\n`;
}

export function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const words = paragraph.split(/\s+/).filter(Boolean);
      const lines: string[] = [];
      let line = '';
      for (const word of words) {
        if (line && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}
