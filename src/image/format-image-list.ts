import type { ImageBuildReport } from './image-build.js';
import type { ImageListEntry } from './image-list.js';

/** `lab image list` as a table (pure: entries in, text out). */
export function formatImageList(entries: readonly ImageListEntry[]): string {
  const rows = entries.map((e) => [
    e.refs.join(', '),
    e.kind,
    e.kubernetesVersion ?? '-',
    e.sizeBytes === undefined ? '-' : formatSize(e.sizeBytes),
    e.builtHash ?? '-',
    !e.exists ? 'missing' : e.current ? 'current' : 'stale',
  ]);
  return table(['IMAGE', 'KIND', 'KUBERNETES', 'SIZE', 'HASH', 'STATE'], rows);
}

/** The closing summary of `lab image build`. */
export function formatBuildReport(report: ImageBuildReport): string {
  const built = report.stages.filter((s) => s.status === 'built');
  const lines = [
    table(
      ['STAGE', 'STATUS', 'SECONDS', 'HASH'],
      report.stages.map((s) => [s.name, s.status, s.status === 'built' ? s.seconds.toFixed(1) : '-', s.hash]),
    ),
  ];
  lines.push(
    built.length === 0
      ? `nothing rebuilt: all ${report.stages.length} stages up to date (${report.totalSeconds.toFixed(1)}s)`
      : `built ${built.length} of ${report.stages.length} stages in ${report.totalSeconds.toFixed(1)}s`,
  );
  return lines.join('\n');
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${units[unit]}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
