import type { ActionOutcome, Connection } from '../action-outcome.js';
import { isApiServerPeer, isProbePeer } from '../classify-peer.js';
import { formatTable } from '../../common/format-table.js';
import { connectionsOf, groupConnections, kubernetesServiceIp, readNodeSockets } from '../node-sockets.js';
import { pidsNamed } from '../../inspect/parse-ss-output.js';
import type { TourContext } from '../tour-context.js';

/** The node services that talk to the control plane, by the process name ss reports. */
const NODE_SERVICES = ['kubelet', 'kube-proxy', 'kindnetd', 'flanneld'];

/** "All services on the worker nodes communicate with the api-server": their established TCP connections, node by node. */
export async function kubeletConnections(ctx: TourContext): Promise<ActionOutcome> {
  const serviceIp = await kubernetesServiceIp(ctx);
  const nodes = [...ctx.topology.workers, ...ctx.topology.controlPlanes].filter((n) => n.state === 'running');
  const perNode = await Promise.all(
    nodes.map(async (node) => {
      const sockets = await readNodeSockets(ctx, node);
      const connections: Connection[] = NODE_SERVICES.flatMap((service) =>
        pidsNamed(sockets, service).flatMap((pid) => connectionsOf(sockets, pid, service, node, ctx.topology, serviceIp)),
      );
      return { node: node.name, role: node.role, connections };
    }),
  );
  const rows = perNode.flatMap((n) => groupConnections(n.connections).map((c) => [n.node, n.role, c.process, `${c.peer} x${c.count}`, c.peerRole]));
  const findings = perNode
    .filter((n) => n.role === 'worker' || ctx.topology.workers.length === 0)
    .map((n) => {
      const kubelet = n.connections.filter((c) => c.process === 'kubelet' && isApiServerPeer(c.peerRole));
      return `${n.node}: kubelet -> ${kubelet.length > 0 ? [...new Set(kubelet.map((c) => c.peerRole))].join(', ') : 'no api-server connection'}`;
    });
  if (ctx.topology.loadBalancer) {
    findings.push(
      `HA: nodes reach the api-servers through ${ctx.topology.loadBalancer.name}, which forwards to one of ${ctx.topology.controlPlanes.length} api-servers.`,
    );
  }
  const all = perNode.flatMap((n) => n.connections);
  const probes = all.filter((c) => isProbePeer(c.peerRole));
  const others = all.filter((c) => !isApiServerPeer(c.peerRole) && !isProbePeer(c.peerRole));
  findings.push(
    others.length === 0
      ? 'No node service holds a connection to etcd, the scheduler or the controller-manager: the api-server is the only door.'
      : `Also seen: ${others.map((c) => `${c.node} ${c.process} -> ${c.peer} (${c.peerRole})`).join(', ')}.`,
  );
  if (probes.length > 0) {
    findings.push('On control planes the kubelet also checks the health ports of the static pods it runs (liveness probes); that is not API traffic.');
  }
  return {
    views: {
      connections: {
        title: 'Established connections opened by node services',
        command: `docker exec ${nodes[0]?.name ?? '<node>'} ss -tnp state established`,
        body: formatTable(['NODE', 'ROLE', 'PROCESS', 'PEER', 'WHAT IS THERE'], rows),
      },
    },
    findings,
    facts: { type: 'kubeletConnections', nodes: perNode.map((n) => ({ node: n.node, connections: n.connections })) },
  };
}
