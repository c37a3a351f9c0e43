import { KindlabError } from '../../common/kindlab-error.js';
import type { ActionOutcome } from '../action-outcome.js';
import { nodeForRole } from '../cluster-topology.js';
import { formatHostPort, listeningPorts, pidsNamed } from '../../inspect/parse-ss-output.js';
import { readNodeSockets } from '../node-sockets.js';
import type { NodeRoleSelector } from '../tour-lab.js';
import type { TourContext } from '../tour-context.js';

/**
 * The other direction: `kubectl logs` asks the api-server, and the api-server fetches the log from the
 * kubelet of the pod's node (port 10250), which reads it from the container runtime.
 */
export async function podLogs(
  ctx: TourContext,
  params: { namespace: string; selector: string; role: NodeRoleSelector; tailLines: number },
): Promise<ActionOutcome> {
  const { node } = nodeForRole(ctx.topology, params.role);
  const pods = await ctx.kube.list('pod', params.namespace, params.selector);
  const pod = pods.find((p) => p.spec?.nodeName === node.name && p.status?.phase === 'Running');
  if (!pod?.metadata?.name) {
    throw new KindlabError(`failed to find a running pod matching ${params.selector} in ${params.namespace} on ${node.name}`);
  }
  const name = pod.metadata.name;
  const container = pod.spec?.containers[0]?.name ?? '';
  const text = await ctx.kube.podLog(params.namespace, name, { ...(container ? { container } : {}), tailLines: params.tailLines });
  // Read after the request: the api-server keeps its connection to the kubelet open for a while, so it is visible.
  const sockets = await readNodeSockets(ctx, node);
  const lines = String(text ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l));
  const kubeletPids = pidsNamed(sockets, 'kubelet');
  const kubeletPorts = kubeletPids.flatMap((pid) => listeningPorts(sockets, pid));
  const controlPlaneIps = new Set(ctx.topology.controlPlanes.map((c) => c.ipv4));
  const fromApiServer = sockets.filter(
    (s) => s.state === 'ESTAB' && s.local.port === '10250' && s.pids.some((p) => kubeletPids.includes(p)) && controlPlaneIps.has(s.peer.host),
  );
  const route = [
    `kubectl -> api-server: GET /api/v1/namespaces/${params.namespace}/pods/${name}/log?tailLines=${params.tailLines}`,
    `api-server -> kubelet on ${node.name} (${node.ipv4 ?? '?'}:10250, the kubelet listens on ${kubeletPorts.join(', ') || '?'})`,
    'kubelet -> containerd: reads the container log file',
  ];
  for (const s of fromApiServer)
    route.push(`seen on ${node.name}: kubelet :10250 <- ${formatHostPort(s.peer)} (${classifyPeerHost(ctx, s.peer.host)}), established`);
  return {
    views: {
      route: { title: 'The path of the request', body: route.join('\n') },
      logs: {
        title: `Last ${params.tailLines} log lines of ${name}`,
        command: `kubectl logs -n ${params.namespace} ${name} --tail=${params.tailLines}`,
        body: lines.join('\n') || '(empty)',
      },
    },
    findings: [`The api-server reached the kubelet on ${node.name} to read ${params.namespace}/${name}: ${lines.length} line(s) came back.`],
    facts: { type: 'podLogs', pod: `${params.namespace}/${name}`, node: node.name, lines },
  };
}

function classifyPeerHost(ctx: TourContext, host: string): string {
  const cp = ctx.topology.controlPlanes.find((c) => c.ipv4 === host);
  return cp ? `api-server on ${cp.name}` : 'unknown';
}
