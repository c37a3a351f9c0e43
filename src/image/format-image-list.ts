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

/**
 * The closing summary of `lab image build`: every stage with the time it took (built) or that it
 * was up to date (cached), then the wall time beside the stages' sum, which shows how much the
 * two lanes (Go binaries, Debian root file systems) overlapped.
 */
export function formatBuildReport(report: ImageBuildReport): string {
  const built = report.stages.filter((s) => s.status === 'built');
  const lines = [
    formatTable(
      ['STAGE', 'STATUS', 'TIME', 'HASH'],
      report.stages.map((s) => [s.name, s.status, s.status === 'built' ? formatStageTime(s.seconds) : '-', s.hash]),
    ),
  ];
  const sum = built.reduce((total, s) => total + s.seconds, 0);
  lines.push(
    built.length === 0
      ? `nothing rebuilt: all ${report.stages.length} stages up to date (${formatStageTime(report.totalSeconds)})`
      : `built ${built.length} of ${report.stages.length} stages in ${formatStageTime(report.totalSeconds)} (the built stages' times add up to ${formatStageTime(sum)})`,
  );
  return lines.join('\n');
}

/** 12.3s under a minute, 10m46s above: what a reader compares across stages. */
export function formatStageTime(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}
