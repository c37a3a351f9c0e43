import type { LabStatus } from './lab-status.js';

/** Text for `lab list` / `lab status`: pure, so it is unit-tested on recorded snapshots. */
export function formatLabList(labs: LabStatus[], now: Date): string {
  if (labs.length === 0) return 'no labs (create one with `lab up single`)\n';
  const rows = labs.map((lab) => [
    lab.name,
    lab.topology,
    lab.etcd,
    lab.state,
    nodeCountText(lab),
    lab.context,
    age(lab.createdAt, now),
  ]);
  return table(['NAME', 'TOPOLOGY', 'ETCD', 'STATE', 'NODES', 'CONTEXT', 'AGE'], rows);
}

export function formatLabStatus(lab: LabStatus, now: Date): string {
  const lines = [
    `lab:        ${lab.name}${lab.managed ? '' : ' (plain kind cluster, not created by kindlab)'}`,
    `topology:   ${lab.topology}`,
    `etcd:       ${lab.etcd}${lab.externalEtcd ? ` (${lab.externalEtcd.container}, ${lab.externalEtcd.endpoint}, ${lab.externalEtcd.state})` : ''}`,
    `state:      ${lab.state}`,
    `context:    ${lab.context}${lab.kubeconfig ? ` in ${lab.kubeconfig}` : ''}`,
    `node image: ${lab.nodeImage}`,
    `age:        ${age(lab.createdAt, now)}`,
    '',
  ];
  if (lab.nodes.length > 0) {
    lines.push(
      table(
        ['NODE', 'ROLE', 'STATUS', 'VERSION', 'INTERNAL-IP', 'AGE'],
        lab.nodes.map((n) => [n.name, n.role, n.status, n.version, n.internalIP, age(n.createdAt, now)]),
      ),
    );
  } else {
    lines.push(`nodes: not available from the Kubernetes API${lab.apiError ? ` (${lab.apiError})` : ''}`, '');
  }
  lines.push(table(['CONTAINER', 'ROLE', 'STATE', 'IP'], lab.containers.map((c) => [c.name, c.role, c.state, c.ip])));
  return lines.join('\n');
}

function nodeCountText(lab: LabStatus): string {
  const total = lab.nodes.length || lab.containers.filter((c) => c.role === 'control-plane' || c.role === 'worker').length;
  const ready = lab.nodes.filter((n) => n.status === 'Ready').length;
  return `${ready}/${lab.expectedNodes ?? total} Ready`;
}

export function age(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (!iso || Number.isNaN(then)) return '?';
  const seconds = Math.max(0, Math.floor((now.getTime() - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
