import { formatBytes } from '../common/format-bytes.js';
import { formatTable } from '../common/format-table.js';
import type { LabCapacity } from './lab-capacity.js';
import type { MeasuredLabUse } from './measure-lab-costs.js';

/** Text for `lab capacity`: pure, unit-tested on recorded numbers. */
export function formatCapacity(capacity: LabCapacity): string {
  const { cost, fit, shape } = capacity;
  const binding = fit.resources.find((r) => r.resource === fit.binding);
  const lines = [
    `${fit.fits} more ${shape.kind} lab(s)${shape.profile && shape.profile !== 'default' ? ` (profile ${shape.profile})` : ''} fit on this host; ${fit.binding} binds: ${binding?.detail ?? ''}`,
    `per lab (${cost.nodes} node(s)): ${formatBytes(cost.memoryBytes)} memory, ${cost.cpuCores.toFixed(2)} CPU, ${cost.pids} pids, ` +
      `${formatBytes(cost.diskBytes)} disk, ${cost.inotifyInstances} inotify instances`,
    `  from ${cost.source}`,
    '',
    formatTable(
      ['RESOURCE', 'MORE LABS', 'HOW'],
      fit.resources.map((r) => [r.resource, String(r.fits), r.detail]),
    ),
    '',
  ];
  if (capacity.running.length > 0) {
    lines.push(formatTable(['RUNNING LAB', 'MEMORY', 'CPU', 'PIDS'], capacity.running.map(useRow)), '');
  }
  return `${lines.join('\n')}`;
}

/** One lab's measured use: `468 MiB memory, 0.15 CPU (over 2 s), 248 pids, 1 container(s)`. */
export function formatLabUse(use: MeasuredLabUse): string {
  return `${formatBytes(use.memoryBytes)} memory, ${use.cpuCores.toFixed(2)} CPU (over ${Math.round(use.intervalMs / 1000)} s), ${use.pids} pids, ${use.containers} container(s)`;
}

function useRow(use: MeasuredLabUse): string[] {
  return [use.lab, formatBytes(use.memoryBytes), use.cpuCores.toFixed(2), String(use.pids)];
}
