import { load } from 'js-yaml';
import type { ClusterContainer } from '../../inspect/docker/cluster-containers.js';
import type { ActionOutcome, ComponentWiring, Connection } from '../action-outcome.js';
import { isApiServerPeer } from '../classify-peer.js';
import { execInNode } from '../../node/exec-in-node.js';
import { formatTable } from '../../common/format-table.js';
import { connectionsOf, flagValue, groupConnections, kubernetesServiceIp, readNodeSockets } from '../node-sockets.js';
import type { TourContext } from '../tour-context.js';

/** Components whose only client connection should be the api-server, with the flag that says where it is. */
const CLIENTS = [
  { component: 'kube-scheduler', flag: '--kubeconfig' },
  { component: 'kube-controller-manager', flag: '--kubeconfig' },
] as const;

/**
 * Evidence for "everything talks to the api-server, only the api-server talks to etcd":
 * the flags the components were started with, and the TCP connections they hold right now.
 */
export async function controlPlaneWiring(ctx: TourContext): Promise<ActionOutcome> {
  const serviceIp = await kubernetesServiceIp(ctx);
  const perNode = await Promise.all(ctx.topology.controlPlanes.filter((c) => c.state === 'running').map((cp) => wiringOf(ctx, cp, serviceIp)));
  const wiring = perNode.flatMap((n) => n.wiring);
  const etcdServers = [...new Set(perNode.flatMap((n) => n.etcdServers))];
  const apiServerToEtcd = perNode.flatMap((n) => n.apiServerToEtcd);
  const etcdPeers = perNode.flatMap((n) => n.etcdPeers);

  const flagRows = wiring.map((w) => [w.node, w.component, w.flags.join('  ')]);
  const connectionRows = groupConnections([...wiring.flatMap((w) => w.outbound), ...apiServerToEtcd, ...etcdPeers]).map((c) => [
    c.node,
    c.process,
    `${c.peer} x${c.count}`,
    c.peerRole,
  ]);
  const verdict = wiring
    .filter((w) => w.component !== 'kube-apiserver')
    .map((w) => {
      const others = w.outbound.filter((c) => !isApiServerPeer(c.peerRole));
      return `${w.node} ${w.component}: ${w.outbound.length} connection(s), ${others.length === 0 ? 'all to the api-server' : `also to ${others.map((o) => o.peer).join(', ')}`}`;
    });
  verdict.push(`kube-apiserver --etcd-servers: ${etcdServers.join(', ') || '(not found)'}; ${apiServerToEtcd.length} connection(s) to etcd`);

  const findings = ['The scheduler and the controller-manager know only a kubeconfig (the api-server address); only the api-server has --etcd-servers.'];
  if (ctx.topology.controlPlanes.length > 1) {
    findings.push(
      `${ctx.topology.controlPlanes.length} control planes: every one runs its own api-server; workers reach them through ${ctx.topology.loadBalancer?.name ?? 'the load balancer'}.`,
    );
  }
  if (etcdPeers.length > 0) {
    findings.push(
      `The etcd members replicate among themselves (port 2380): ${[...new Set(etcdPeers.map((c) => `${c.node} -> ${c.peerRole.replace('etcd peer on ', '')}`))].join(', ')}.`,
    );
  }
  if (ctx.topology.externalEtcd) {
    findings.push(`The api-servers reach etcd outside the cluster, in ${ctx.topology.externalEtcd.name}.`);
  }
  return {
    views: {
      flags: { title: 'Where each component is told to connect', body: formatTable(['NODE', 'COMPONENT', 'FLAGS'], flagRows) },
      connections: {
        title: 'Established connections they opened',
        command: `docker exec ${ctx.topology.controlPlanes[0]?.name ?? '<control-plane>'} ss -tnp state established`,
        body: formatTable(['NODE', 'PROCESS', 'PEER', 'WHAT IS THERE'], connectionRows),
      },
      verdict: { title: 'Who talks to whom', body: verdict.join('\n') },
    },
    findings,
    facts: { type: 'controlPlaneWiring', wiring, etcdServers, apiServerToEtcd },
  };
}

async function wiringOf(
  ctx: TourContext,
  node: ClusterContainer,
  serviceIp: string | undefined,
): Promise<{ wiring: ComponentWiring[]; etcdServers: string[]; apiServerToEtcd: Connection[]; etcdPeers: Connection[] }> {
  const [tree, sockets] = await Promise.all([ctx.trees.nodeTree(node.name), readNodeSockets(ctx, node)]);
  const wiring: ComponentWiring[] = [];
  for (const client of CLIENTS) {
    for (const process of tree.processes.filter((p) => p.component === client.component)) {
      const path = flagValue(process.args, client.flag);
      const server = path ? await kubeconfigServer(ctx, node, path) : undefined;
      wiring.push({
        node: node.name,
        component: client.component,
        flags: [path ? `${client.flag}=${path}` : `(no ${client.flag})`, ...(server ? [`-> server: ${server}`] : [])],
        outbound: connectionsOf(sockets, process.pid, client.component, node, ctx.topology, serviceIp),
      });
    }
  }
  const apiServers = tree.processes.filter((p) => p.component === 'kube-apiserver');
  const etcdServers = apiServers.map((p) => flagValue(p.args, '--etcd-servers')).filter((v): v is string => v !== undefined);
  for (const server of etcdServers) {
    wiring.push({ node: node.name, component: 'kube-apiserver', flags: [`--etcd-servers=${server}`], outbound: [] });
  }
  const apiServerToEtcd = apiServers.flatMap((p) =>
    connectionsOf(sockets, p.pid, 'kube-apiserver', node, ctx.topology, serviceIp).filter((c) => c.peerRole.startsWith('etcd')),
  );
  const etcdPeers = tree.processes
    .filter((p) => p.component === 'etcd')
    .flatMap((p) => connectionsOf(sockets, p.pid, 'etcd', node, ctx.topology, serviceIp).filter((c) => c.peerRole.startsWith('etcd peer')));
  return { wiring, etcdServers, apiServerToEtcd, etcdPeers };
}

async function kubeconfigServer(ctx: TourContext, node: ClusterContainer, path: string): Promise<string | undefined> {
  try {
    const config = load(await execInNode(ctx.exec, node.name, ['cat', path], { signal: ctx.signal })) as {
      clusters?: Array<{ cluster?: { server?: string } }>;
    };
    return config.clusters?.[0]?.cluster?.server;
  } catch {
    return undefined;
  }
}
