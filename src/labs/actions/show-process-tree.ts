import type { ActionOutcome } from '../action-outcome.js';
import { nodeForRole } from '../cluster-topology.js';
import { formatTable } from '../../common/format-table.js';
import type { NodeRoleSelector } from '../tour-lab.js';
import type { TourContext } from '../tour-context.js';

const CNI_DAEMONS = ['kindnetd', 'flanneld', 'calico-node', 'cilium-agent'];

/** The seed's `docker exec -it kind-worker ps fxwwo pid,cmd`, annotated by src/report. */
export async function showProcessTree(ctx: TourContext, role: NodeRoleSelector): Promise<ActionOutcome> {
  const { node, sharedRoles } = nodeForRole(ctx.topology, role);
  const tree = await ctx.trees.nodeTree(node.name);
  const known = tree.processes.filter((p) => p.component !== undefined);
  const components = [...new Set(known.map((p) => p.component!))].sort();
  const count = (component: string): number => known.filter((p) => p.component === component).length;

  const rows = known.filter((p) => p.component !== 'shim' && p.component !== 'pause').map((p) => [String(p.pid), p.component!, p.pod ?? '(node service)']);
  const findings = [`${node.name}: ${count('shim')} containerd-shim-runc-v2 processes, ${count('pause')} /pause processes (one per pod sandbox).`];
  const cni = components.filter((c) => CNI_DAEMONS.includes(c));
  if (role === 'worker' && cni.length > 0) findings.push(`CNI daemon on this cluster: ${cni.join(', ')}.`);
  if (sharedRoles) {
    findings.push(`Single-node cluster: ${node.name} is the control plane and also runs the workloads, so it plays both roles.`);
  }
  if (role === 'control-plane' && ctx.topology.controlPlanes.length > 1) {
    findings.push(`This is one of ${ctx.topology.controlPlanes.length} control planes; each runs the same set of components.`);
  }
  if (role === 'control-plane' && ctx.topology.externalEtcd) {
    findings.push(`No etcd process here: etcd runs outside the cluster in ${ctx.topology.externalEtcd.name}.`);
  }
  return {
    views: {
      tree: { title: `Process tree of ${node.name}`, command: `docker exec -it ${node.name} ps fxwwo pid,cmd`, body: tree.text },
      components: { title: 'Components found', body: formatTable(['PID', 'COMPONENT', 'POD'], rows) },
    },
    findings,
    facts: { type: 'showProcessTree', node: node.name, components },
  };
}
