import { topologyLabel } from './cluster-topology.js';
import { failedChecks, type StepRecord, type TourRecord } from './run-tour.js';

/**
 * The handout: the lab's story with the real outputs of this cluster. Text outside code blocks is
 * escaped (outputs such as `<none>` would otherwise be read as HTML by Markdown renderers).
 */
export function renderTourMarkdown(record: TourRecord): string {
  const { lab, topology } = record;
  const out: string[] = [];
  out.push(`# ${escapeMd(lab.title)}: live on \`${topology.cluster}\``, '');
  out.push(`- Cluster: \`${topology.cluster}\`, ${escapeMd(topologyLabel(topology))}`);
  out.push(`- Nodes: ${[...topology.controlPlanes, ...topology.workers].map((n) => `\`${n.name}\` (${n.role})`).join(', ')}`);
  if (topology.loadBalancer) out.push(`- Load balancer: \`${topology.loadBalancer.name}\``);
  if (topology.externalEtcd) out.push(`- External etcd: \`${topology.externalEtcd.name}\``);
  out.push(`- Recorded: ${record.startedAt.toISOString()} with \`lab tour ${topology.cluster} --lab ${lab.name} --format md\``);
  if (lab.source) out.push(`- Based on: ${escapeMd(lab.source)}`);
  if (lab.intro) out.push('', escapeMd(lab.intro));

  let chapterId = '';
  for (const step of record.steps) {
    if (step.chapter.id !== chapterId) {
      chapterId = step.chapter.id;
      out.push('', `## ${step.number.split('.')[0]}. ${escapeMd(step.chapter.title)}`);
    }
    out.push(...renderStep(step));
  }

  const failed = failedChecks(record);
  const total = record.steps.reduce((n, s) => n + s.checks.length, 0);
  out.push('', '## Checks', '', `${total - failed.length} of ${total} checks passed${record.completed ? '' : ' (the tour was stopped early)'}.`, '');
  out.push('| Step | Check | Result |', '|---|---|---|');
  for (const step of record.steps) {
    for (const check of step.checks) {
      out.push(
        `| ${step.number} ${escapeCell(step.step.title)} | ${escapeCell(check.name)} | ${check.passed ? 'pass' : 'FAIL'}: ${escapeCell(check.detail)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function renderStep(step: StepRecord): string[] {
  const out = ['', `### ${step.number} ${escapeMd(step.step.title)}`, '', escapeMd(step.step.narration)];
  if (step.step.demo) out.push('', `Workshop demo: \`${step.step.demo}\``);
  for (const name of step.step.show) {
    const view = step.outcome?.views[name];
    if (!view) continue;
    out.push('', `**${escapeMd(view.title)}**${view.command ? ` (\`${view.command.replaceAll('`', "'")}\`)` : ''}`, '', ...fence(view.body));
  }
  if (step.outcome?.findings.length) out.push('', ...step.outcome.findings.map((f) => `- ${escapeMd(f)}`));
  for (const note of step.notes) out.push('', `> **On this topology:** ${escapeMd(note)}`);
  if (step.error) out.push('', `**Error:** ${escapeMd(step.error)}`);
  out.push('', ...step.checks.map((c) => `- [${c.passed ? 'x' : ' '}] \`${c.name}\`: ${escapeMd(c.detail)}`));
  return out;
}

/** A fence longer than any backtick run in the body, so no output can close it early. */
function fence(body: string): string[] {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(longest + 1);
  return [`${marker}text`, body, marker];
}

export function escapeMd(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function escapeCell(text: string): string {
  return escapeMd(text)
    .replaceAll('|', '\\|')
    .replace(/\s*\n\s*/g, ' ');
}
