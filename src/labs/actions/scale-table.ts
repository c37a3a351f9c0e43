import type { TopologyKind } from '../../topology/topology-spec.js';
import type { ActionOutcome } from '../action-outcome.js';
import { formatTable } from '../../common/format-table.js';
import type { TourContext } from '../tour-context.js';

/** The workshop's cluster-scale table, with the `lab up` command that builds each row. */
const ROWS: ReadonlyArray<{ kind: TopologyKind; type: string; controlPlanes: string; workers: string; command: (name: string) => string }> = [
  { kind: 'single', type: 'Single node', controlPlanes: '0.5', workers: '0.5', command: (n) => `lab up single --name ${n}` },
  { kind: 'multi', type: 'Multiple workers', controlPlanes: '1', workers: '1+', command: (n) => `lab up multi --name ${n} --workers 2` },
  { kind: 'ha', type: 'Highly available', controlPlanes: '3+ (odd)', workers: '1+', command: (n) => `lab up ha --name ${n} --control-planes 3 --workers 1` },
];

export async function scaleTable(ctx: TourContext): Promise<ActionOutcome> {
  const { topology } = ctx;
  const here = ROWS.find((r) => r.kind === topology.kind);
  const etcdHere = topology.etcd;
  const rows = ROWS.map((r) => [r.type, r.controlPlanes, r.workers, r.kind === topology.kind ? '<- this cluster' : '']);
  const etcdRows = [
    ['etcd in the cluster (stacked)', 'a static pod on every control plane', etcdHere === 'stacked' ? '<- this cluster' : ''],
    ['etcd as an external service', 'its own container, outside the nodes', etcdHere === 'external' ? '<- this cluster' : ''],
  ];
  const other = `${topology.cluster}-2`;
  const commands = ROWS.filter((r) => r.kind !== topology.kind).map((r) => `${r.type.padEnd(17)} ${r.command(other)}`);
  commands.push(
    etcdHere === 'external'
      ? `${'Stacked etcd'.padEnd(17)} lab up ${topology.kind} --name ${other} --etcd stacked`
      : `${'External etcd'.padEnd(17)} lab up ${topology.kind} --name ${other} --etcd external`,
  );
  commands.push(`(one cluster at a time on a small machine: \`lab down ${topology.cluster}\` first)`);
  const findings = [
    `This cluster is "${here?.type ?? topology.kind}": ${topology.controlPlanes.length} control plane(s), ${topology.workers.length} worker(s), etcd ${etcdHere === 'external' ? `outside the cluster (${topology.externalEtcd?.name ?? ''})` : 'stacked on the control plane(s)'}.`,
  ];
  if (topology.kind === 'single') findings.push('0.5 / 0.5: one node is half control plane, half worker.');
  if (topology.kind === 'ha')
    findings.push(
      `An odd number of etcd members keeps a majority when one fails: ${topology.controlPlanes.length} members tolerate ${Math.floor((topology.controlPlanes.length - 1) / 2)} failure(s).`,
    );
  return {
    views: {
      table: {
        title: 'Cluster scale',
        body: `${formatTable(['TYPE', 'CONTROL PLANES', 'WORKERS', ''], rows)}\n\n${formatTable(['ETCD', 'WHERE IT RUNS', ''], etcdRows)}`,
      },
      commands: { title: 'Build the others', body: commands.join('\n') },
    },
    findings,
    facts: { type: 'scaleTable', row: here?.type },
  };
}
