import type { Snapshot } from './snapshot.js';

/** A few lines for `lab inspect` without --json: what was seen per node. */
export function summarizeSnapshot(snapshot: Snapshot): string {
  const lines = [`${snapshot.cluster} (${snapshot.schemaVersion}, ${snapshot.capturedAt})`];
  for (const node of snapshot.nodes) {
    const count = (kind: string) => node.processes.filter((p) => p.identity.kind === kind).length;
    const components = [
      ...new Set(node.processes.map((p) => p.identity.component).filter((c): c is string => !!c && c !== 'pause' && c !== 'containerd-shim')),
    ];
    lines.push(
      `  ${node.name} [${node.role}] ${node.container.state} ${node.container.ipv4 ?? ''}: ${node.processes.length} processes, ` +
        `${count('shim')} shims, ${count('pause')} pause, ${node.containerd?.sandboxes.length ?? 0} sandboxes; ${components.join(', ')}`,
    );
  }
  lines.push(
    `  API: ${snapshot.kubernetes.nodes.length} nodes, ${snapshot.kubernetes.pods.length} pods${snapshot.kubernetes.error ? ` (${snapshot.kubernetes.error})` : ''}`,
  );
  for (const w of snapshot.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
