import { formatAgeSince } from '../common/format-age.js';
import { formatTable } from '../common/format-table.js';
import type { LabStatus } from './lab-status.js';

/** Text for `lab list` / `lab status`: pure, so it is unit-tested on recorded snapshots. */
export function formatLabList(labs: LabStatus[], now: Date): string {
  if (labs.length === 0) return 'no labs (create one with `lab up single`)\n';
  const rows = labs.map((lab) => [lab.name, lab.topology, lab.etcd, lab.state, nodeCountText(lab), lab.context, formatAgeSince(lab.createdAt, now)]);
  return `${formatTable(['NAME', 'TOPOLOGY', 'ETCD', 'STATE', 'NODES', 'CONTEXT', 'AGE'], rows)}\n`;
}

export function formatLabStatus(lab: LabStatus, now: Date): string {
  const lines = [
    `lab:        ${lab.name}${lab.managed ? '' : ' (plain kind cluster, not created by kindlab)'}`,
    `topology:   ${lab.topology}`,
    `etcd:       ${lab.etcd}${lab.externalEtcd ? ` (${lab.externalEtcd.container}, ${lab.externalEtcd.endpoint}, ${lab.externalEtcd.state})` : ''}`,
    `state:      ${lab.state}`,
    ...(lab.pool ? [`pool:       ${lab.pool}${lab.participant ? `, claimed by ${lab.participant}` : ', not claimed'}`] : []),
    `context:    ${lab.context}${lab.kubeconfig ? ` in ${lab.kubeconfig}` : ''}`,
    `node image: ${lab.nodeImage}`,
    `age:        ${formatAgeSince(lab.createdAt, now)}`,
    '',
  ];
  if (lab.nodes.length > 0) {
    lines.push(
      `${formatTable(
        ['NODE', 'ROLE', 'STATUS', 'VERSION', 'INTERNAL-IP', 'AGE'],
        lab.nodes.map((n) => [n.name, n.role, n.status, n.version, n.internalIP, formatAgeSince(n.createdAt, now)]),
      )}\n`,
    );
  } else {
    lines.push(`nodes: not available from the Kubernetes API${lab.apiError ? ` (${lab.apiError})` : ''}`, '');
  }
  lines.push(
    `${formatTable(
      ['CONTAINER', 'ROLE', 'STATE', 'IP', 'PINNED'],
      lab.containers.map((c) => [c.name, c.role, c.state, c.ip || '-', c.pinnedIp || '-']),
    )}\n`,
  );
  if (lab.addressNotice) lines.push(`${lab.addressNotice}\n`);
  return lines.join('\n');
}

function nodeCountText(lab: LabStatus): string {
  const total = lab.nodes.length || lab.containers.filter((c) => c.role === 'control-plane' || c.role === 'worker').length;
  const ready = lab.nodes.filter((n) => n.status === 'Ready').length;
  return `${ready}/${lab.expectedNodes ?? total} Ready`;
}
