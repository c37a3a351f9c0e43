import { formatBytes } from '../common/format-bytes.js';
import { formatTable } from '../common/format-table.js';
import type { ImageBuildReport } from './image-build.js';
import type { ImageListEntry } from './image-list.js';

/** `lab image list` as a table (pure: entries in, text out). */
export function formatImageList(entries: readonly ImageListEntry[]): string {
  const rows = entries.map((e) => [
    e.refs.join(', '),
    e.kind,
    e.kubernetesVersion ?? '-',
    e.sizeBytes === undefined ? '-' : formatBytes(e.sizeBytes, 'decimal'),
    e.builtHash ?? '-',
    !e.exists ? 'missing' : e.current ? 'current' : 'stale',
  ]);
  return formatTable(['IMAGE', 'KIND', 'KUBERNETES', 'SIZE', 'HASH', 'STATE'], rows);
}

/** The closing summary of `lab image build`. */
export function formatBuildReport(report: ImageBuildReport): string {
  const built = report.stages.filter((s) => s.status === 'built');
  const lines = [
    formatTable(
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
