import { apiServerAddress, apiServerEntry } from '../../inspect/api-server-endpoint.js';
import { formatHostPort, socketsOf } from '../../inspect/parse-ss-output.js';
import { checkOf, fail, pass, skip, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { clusterNodes, isRunning } from './snapshot-queries.js';

/** Who talks to whom: kubelets to the API endpoint, the API server to kubelets, pods to cluster DNS. */
export function communicationChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  const { snapshot } = evidence;
  const results: CheckResult[] = [];
  const entry = apiServerEntry(snapshot.nodes);
  const front = evidence.clusterEndpoint;
  // The API path sees no load balancer container: the endpoint the cluster hands its clients stands for it.
  const endpointNode = entry?.role !== 'external-load-balancer' && front?.ok ? { name: new URL(front.value.server).hostname } : entry && { name: entry.name };
  const endpoint =
    entry?.role !== 'external-load-balancer' && front?.ok ? front.value.address : entry?.container.ipv4 ? apiServerAddress(entry.container.ipv4) : undefined;

  for (const node of clusterNodes(snapshot)) {
    const name = `kubelet on ${node.name} connected to the API endpoint`;
    const extra = { node: node.name, component: 'kubelet' };
    const probe = evidence.kubeletConnections[node.name];
    if (!isRunning(node)) {
      results.push(fail('communication', name, `kubelet on ${node.name} cannot reach the API: the node container is ${node.container.state}`, [], extra));
    } else if (!endpoint || !endpointNode) {
      results.push(fail('communication', name, 'no API endpoint (load balancer or control plane with an address) found', [], extra));
    } else if (!probe) {
      results.push(skip('communication', name, 'connections not gathered', extra));
    } else if (!probe.ok) {
      results.push(fail('communication', name, `cannot list connections on ${node.name}: ${probe.error}`, probe.command ? [`$ ${probe.command}`] : [], extra));
    } else {
      // kubeadm >= 1.33 (ControlPlaneKubeletLocalMode) points a control plane's kubelet at its own
      // API server; workers go through the cluster endpoint (the load balancer in ha).
      const local = node.role === 'control-plane' && node.container.ipv4 ? apiServerAddress(node.container.ipv4) : undefined;
      const accepted = [endpoint, ...(local && local !== endpoint ? [local] : [])];
      const wanted = local && local !== endpoint ? `${endpointNode.name} (${endpoint}) or its own API server (${local})` : `${endpointNode.name} (${endpoint})`;
      const kubelet = socketsOf(probe.value, 'kubelet');
      const toEndpoint = kubelet.filter((c) => accepted.includes(formatHostPort(c.peer)));
      results.push(
        checkOf(
          toEndpoint.length > 0,
          'communication',
          name,
          `kubelet on ${node.name} holds a connection to ${toEndpoint[0] && formatHostPort(toEndpoint[0].peer) === endpoint ? `${endpointNode.name} (${endpoint})` : `its own API server (${local})`}`,
          `kubelet on ${node.name} has no established connection to ${wanted}`,
          [
            ...(probe.command ? [`$ ${probe.command}`] : []),
            ...(toEndpoint.length > 0 ? toEndpoint : kubelet)
              .slice(0, 4)
              .map(
                (c) =>
                  `kubelet pid ${c.users.find((u) => u.name === 'kubelet')?.pid ?? '?'}: ${formatHostPort(c.local)} -> ${formatHostPort(c.peer)} ESTABLISHED`,
              ),
            ...(kubelet.length === 0 ? ['kubelet holds no established TCP connection'] : []),
          ],
          extra,
        ),
      );
    }
  }

  for (const node of clusterNodes(snapshot)) {
    const name = `API server reaches the kubelet on ${node.name}`;
    const extra = { node: node.name, component: 'kubelet' };
    const probe = evidence.kubeletLogs[node.name];
    if (!isRunning(node))
      results.push(
        fail('communication', name, `the API server cannot reach the kubelet on ${node.name}: the node container is ${node.container.state}`, [], extra),
      );
    else if (!probe) results.push(skip('communication', name, 'no pod to read logs from', extra));
    else if (!probe.ok)
      results.push(fail('communication', name, `the API server could not read pod logs from the kubelet on ${node.name}: ${probe.error}`, [], extra));
    else
      results.push(
        pass(
          'communication',
          name,
          `logs of ${probe.value.pod} on ${node.name} read through the API server`,
          [`GET .../pods/${probe.value.pod.split('/')[1]}/log?tailLines=1 -> ${probe.value.bytes} bytes`],
          extra,
        ),
      );
  }

  if (!expectation.probes) {
    results.push(skip('communication', 'probe pods', 'probes: false in the expectation'));
    return results;
  }
  const probes = evidence.probePods;
  if (!probes) {
    results.push(skip('communication', 'probe pods', 'not run'));
    return results;
  }
  if (!probes.ok) {
    results.push(fail('communication', 'probe pods', `could not run probe pods: ${probes.error}`, [], { component: 'pod' }));
    return results;
  }
  for (const outcome of probes.value) {
    const extra = { node: outcome.targetNode, component: 'pod' };
    const where = `pod ${outcome.pod} (nodeSelector ${outcome.targetNode}): scheduled on ${outcome.scheduledNode ?? 'no node'}, phase ${outcome.phase}${outcome.exitCode !== undefined ? `, exit ${outcome.exitCode}` : ''}`;
    const ran = outcome.scheduledNode === outcome.targetNode && (outcome.phase === 'Succeeded' || outcome.phase === 'Failed');
    results.push(
      checkOf(
        ran,
        'communication',
        `a pod is scheduled and runs on ${outcome.targetNode}`,
        `pod ${outcome.pod} was scheduled on ${outcome.targetNode} and ran`,
        `no pod could run on ${outcome.targetNode}: ${outcome.pod} is ${outcome.phase}${outcome.scheduledNode ? ` on ${outcome.scheduledNode}` : ', not scheduled'}`,
        [where],
        extra,
      ),
    );
    const log = outcome.log.trim().split('\n').slice(-3);
    const first = outcome.firstAttempt;
    const firstLines = first
      ? [
          `first attempt: pod ${first.pod}, phase ${first.phase}${first.exitCode !== undefined ? `, exit ${first.exitCode}` : ''}; the pod below is the second`,
          ...first.log
            .trim()
            .split('\n')
            .slice(-1)
            .filter(Boolean)
            .map((l) => `first attempt log: ${l}`),
          ...notEtcdAnswer(first.log, outcome.targetNode, 'first attempt'),
        ]
      : [];
    results.push(
      checkOf(
        ran && outcome.phase === 'Succeeded' && outcome.exitCode === 0,
        'communication',
        `pod DNS on ${outcome.targetNode}`,
        `a pod on ${outcome.targetNode} resolved ${outcome.dnsName} through cluster DNS and reached it`,
        ran
          ? `a pod on ${outcome.targetNode} could not resolve or reach ${outcome.dnsName}`
          : `pod DNS untested on ${outcome.targetNode}: the probe pod did not run`,
        [...firstLines, where, ...log.filter(Boolean).map((l) => `log: ${l}`), ...notEtcdAnswer(outcome.log, outcome.targetNode, `pod ${outcome.pod}`)],
        { ...extra, component: 'dns' },
      ),
    );
  }
  return results;
}

/**
 * etcd answers gRPC, so an HTTP status in the client's log came from another server. Reproduced by
 * test/fixtures/record-unrouted-service.sh: a Service this new can lack its rule in kube-proxy on the
 * client's node for a moment; a connection to its ClusterIP then leaves the node by the default route,
 * and a network that answers any address (this project's machine: HTTP/2 404, no content type) answers it.
 */
function notEtcdAnswer(log: string, node: string, attempt: string): string[] {
  const status = /unexpected HTTP status code received from server: (\d+)/.exec(log)?.[1];
  if (!status) return [];
  return [
    `${attempt} reached no etcd (HTTP ${status} is not a gRPC answer): kube-proxy on ${node} had likely not routed the Service, so its ClusterIP left the node and a server outside the cluster answered`,
  ];
}
