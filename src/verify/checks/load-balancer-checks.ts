import { API_SERVER_PORT, API_SERVER_PORT_KEY } from '../../inspect/api-server-endpoint.js';
import { checkOf, fail, pass, skip, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { nodesWithRole } from './snapshot-queries.js';

/** ha: kind's load balancer runs, the API answers through it, and it forwards to every control plane. */
export function loadBalancerChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  if (!expectation.loadBalancer) return [];
  const { snapshot } = evidence;
  const lb = nodesWithRole(snapshot, 'external-load-balancer')[0];
  if (!lb && evidence.clusterEndpoint) return apiFrontChecks(evidence);
  if (!lb)
    return [
      fail('load-balancer', 'load balancer container', 'no container labelled io.x-k8s.kind.role=external-load-balancer', [], { component: 'load-balancer' }),
    ];
  const extra = { node: lb.name, component: 'load-balancer' };
  const published = lb.container.ports[API_SERVER_PORT_KEY];
  const results: CheckResult[] = [
    checkOf(
      lb.container.state === 'running',
      'load-balancer',
      'load balancer container',
      `${lb.name} is running`,
      `load balancer ${lb.name} is ${lb.container.state}`,
      [
        `container ${lb.name}: ${lb.container.image}, ${lb.container.status}, ip ${lb.container.ipv4 ?? '?'}, ${API_SERVER_PORT_KEY} -> ${published ?? 'not published'}`,
      ],
      extra,
    ),
  ];

  const api = evidence.apiVersion;
  if (!api) results.push(skip('load-balancer', 'API through the load balancer', 'not gathered', extra));
  else if (!api.ok) results.push(fail('load-balancer', 'API through the load balancer', `the API did not answer through ${lb.name}: ${api.error}`, [], extra));
  else {
    const port = published?.split(':').pop();
    const viaLb = port !== undefined && new URL(api.value.server).port === port;
    results.push(
      checkOf(
        viaLb,
        'load-balancer',
        'API through the load balancer',
        `the API answers through ${lb.name} (${api.value.server})`,
        `the kubeconfig endpoint ${api.value.server} is not ${lb.name}'s published port ${published ?? '(none)'}`,
        [`GET ${api.value.server}/version -> ${api.value.gitVersion}`, `${lb.name} publishes ${API_SERVER_PORT_KEY} on ${published ?? 'nothing'}`],
        extra,
      ),
    );
  }

  const backends = evidence.loadBalancerBackends;
  for (const cp of nodesWithRole(snapshot, 'control-plane')) {
    const name = `load balancer forwards to ${cp.name}`;
    if (!backends) {
      results.push(skip('load-balancer', name, 'load balancer config not gathered', { node: cp.name, component: 'load-balancer' }));
      continue;
    }
    if (!backends.ok) {
      results.push(fail('load-balancer', name, `cannot read ${lb.name}'s config: ${backends.error}`, [], { node: cp.name, component: 'load-balancer' }));
      continue;
    }
    const hit = backends.value.find(
      (b) => b.name === cp.name || b.address.split(':')[0] === cp.name || (cp.container.ipv4 && b.address.split(':')[0] === cp.container.ipv4),
    );
    const listed = backends.value.map((b) => `server ${b.name} ${b.address}`);
    results.push(
      hit
        ? pass('load-balancer', name, `${lb.name} lists ${cp.name} as a backend`, [`server ${hit.name} ${hit.address}`], {
            node: cp.name,
            component: 'load-balancer',
          })
        : fail('load-balancer', name, `${lb.name} does not forward to control plane ${cp.name}`, listed, { node: cp.name, component: 'load-balancer' }),
    );
  }
  return results;
}

/**
 * The API path (no containers to see): the endpoint the cluster hands its clients is not one control
 * plane's own address (something fronts them), and the API servers behind the `kubernetes` Service
 * include every control plane.
 */
function apiFrontChecks(evidence: ClusterEvidence): CheckResult[] {
  const controlPlanes = nodesWithRole(evidence.snapshot, 'control-plane');
  const front = evidence.clusterEndpoint!;
  const ownAddresses = controlPlanes.flatMap((cp) => (cp.container.ipv4 ? [`${cp.container.ipv4}:${API_SERVER_PORT}`] : []));
  const results: CheckResult[] = [
    front.ok
      ? checkOf(
          !ownAddresses.includes(front.value.address),
          'load-balancer',
          'API endpoint in front of the control planes',
          `clients are given ${front.value.server} (${front.value.address}), not one control plane's own address`,
          `the cluster endpoint ${front.value.server} (${front.value.address}) is one control plane's own API server: nothing fronts them`,
          [
            `kube-public/cluster-info: server ${front.value.server}`,
            ...(front.value.resolvedOn ? [`resolved on ${front.value.resolvedOn}: ${front.value.address}`] : []),
            `control planes: ${ownAddresses.join(', ') || 'no addresses'}`,
          ],
          { component: 'load-balancer' },
        )
      : fail('load-balancer', 'API endpoint in front of the control planes', `cannot read the cluster endpoint: ${front.error}`, [], {
          component: 'load-balancer',
        }),
  ];
  const backends = evidence.apiServerEndpoints;
  for (const cp of controlPlanes) {
    const name = `API backends include ${cp.name}`;
    const extra = { node: cp.name, component: 'load-balancer' };
    if (!backends) results.push(skip('load-balancer', name, 'the kubernetes Service endpoints were not gathered', extra));
    else if (!backends.ok) results.push(fail('load-balancer', name, `cannot read the kubernetes Service endpoints: ${backends.error}`, [], extra));
    else {
      const own = cp.container.ipv4 ? `${cp.container.ipv4}:${API_SERVER_PORT}` : undefined;
      results.push(
        checkOf(
          own !== undefined && backends.value.includes(own),
          'load-balancer',
          name,
          `the kubernetes Service lists ${cp.name}'s API server (${own})`,
          `the kubernetes Service does not list ${cp.name}'s API server (${own ?? 'no InternalIP'})`,
          [`default/kubernetes endpoints: ${backends.value.join(', ') || 'none'}`],
          extra,
        ),
      );
    }
  }
  return results;
}
