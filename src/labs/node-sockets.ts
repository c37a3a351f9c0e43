import type { ClusterContainer } from '../inspect/docker/cluster-containers.js';
import type { Connection } from './action-outcome.js';
import { classifyPeer } from './classify-peer.js';
import type { ClusterTopology } from './cluster-topology.js';
import { execInNode } from '../node/exec-in-node.js';
import { formatHostPort, outboundConnections, parseSsOutput, SOCKETS_ARGV, type SocketRecord } from '../inspect/parse-ss-output.js';
import type { TourContext } from './tour-context.js';

export async function readNodeSockets(ctx: TourContext, node: ClusterContainer): Promise<SocketRecord[]> {
  return parseSsOutput(await execInNode(ctx.exec, node.name, SOCKETS_ARGV, { signal: ctx.signal }));
}

export async function kubernetesServiceIp(ctx: TourContext): Promise<string | undefined> {
  try {
    const service = await ctx.kube.read('service', 'default', 'kubernetes');
    return service.spec?.clusterIP;
  } catch {
    return undefined;
  }
}

export function connectionsOf(
  sockets: readonly SocketRecord[],
  pid: number,
  process: string,
  node: ClusterContainer,
  topology: ClusterTopology,
  serviceIp: string | undefined,
): Connection[] {
  return outboundConnections(sockets, pid).map((s) => ({
    node: node.name,
    process,
    local: formatHostPort(s.local),
    peer: formatHostPort(s.peer),
    peerRole: classifyPeer(s.peer, node, topology, serviceIp),
  }));
}

/** Same peer seen over several sockets: one row with a count reads better in a workshop. */
export function groupConnections(connections: readonly Connection[]): Array<Connection & { count: number }> {
  const groups = new Map<string, Connection & { count: number }>();
  for (const c of connections) {
    const key = `${c.node}|${c.process}|${c.peer}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { ...c, count: 1 });
  }
  return [...groups.values()];
}

/** `--flag=value` or `--flag value`. */
export function flagValue(args: string, flag: string): string | undefined {
  const words = args.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith(`${flag}=`)) return word.slice(flag.length + 1);
    if (word === flag) return words[i + 1];
  }
  return undefined;
}
