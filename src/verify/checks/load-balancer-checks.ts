import { API_SERVER_PORT_KEY } from '../../inspect/api-server-endpoint.js';
import { checkOf, fail, pass, skip, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { nodesWithRole } from './snapshot-queries.js';

/** ha: kind's load balancer runs, the API answers through it, and it forwards to every control plane. */
export function loadBalancerChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  if (!expectation.loadBalancer) return [];
  const { snapshot } = evidence;
  const lb = nodesWithRole(snapshot, 'external-load-balancer')[0];
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
