import { formatTable } from '../common/format-table.js';
import type { RoomLabResult } from './create-room.js';

/** The table `lab up --count` ends with: one row per lab, failures with their first error line. */
export function formatRoomSummary(results: readonly RoomLabResult[]): string {
  const rows = results.map((r) => [r.name, r.topology, r.state, r.state === 'not started' ? '-' : `${Math.round(r.ms / 1000)}s`, r.kubeconfigFile ?? '-']);
  const failed = results.filter((r) => r.error);
  const ready = results.filter((r) => r.state === 'ready').length;
  const lines = [formatTable(['NAME', 'TOPOLOGY', 'STATE', 'TIME', 'KUBECONFIG'], rows), '', `${ready} of ${results.length} labs ready`];
  for (const r of failed) lines.push(`  ${r.name}: ${r.error}`);
  if (ready > 0) lines.push('hand each participant their file: kubectl --kubeconfig <file> get nodes');
  return `${lines.join('\n')}\n`;
}
