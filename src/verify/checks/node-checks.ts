import { checkOf, fail, pass, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import { countMatches, describeCount, type Expectation } from '../expectation.js';
import { clusterNodes, isRunning, nodesWithRole } from './snapshot-queries.js';

/** Node containers per role match the expectation, and every node is running and Ready in the API. */
export function nodeChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  const { snapshot } = evidence;
  const results: CheckResult[] = [];
  for (const [role, count, label] of [
    ['control-plane', expectation.controlPlanes, 'control planes'],
    ['worker', expectation.workers, 'workers'],
  ] as const) {
    const nodes = nodesWithRole(snapshot, role);
    const names = nodes.map((n) => `${n.name} (${n.container.state})`);
    results.push(
      checkOf(
        countMatches(count, nodes.length),
        'nodes',
        `number of ${label}`,
        `${nodes.length} ${label}, expected ${describeCount(count)}`,
        `found ${nodes.length} ${label}, expected ${describeCount(count)}`,
        [`containers labelled io.x-k8s.kind.role=${role}: ${names.join(', ') || 'none'}`],
      ),
    );
  }

  const apiNodes = new Map(snapshot.kubernetes.nodes.map((n) => [n.name, n]));
  for (const node of clusterNodes(snapshot)) {
    const name = `${node.name} is Ready`;
    const extra = { node: node.name, component: 'node' };
    const containerLine = `container ${node.name}: ${node.container.state} (${node.container.status})`;
    if (!isRunning(node)) {
      results.push(fail('nodes', name, `node ${node.name} (${node.role}) is down: its container is ${node.container.state}`, [containerLine], extra));
      continue;
    }
    const apiNode = apiNodes.get(node.name);
    if (snapshot.kubernetes.error && !apiNode) {
      results.push(
        fail('nodes', name, `cannot tell whether ${node.name} is Ready: the Kubernetes API did not answer`, [containerLine, snapshot.kubernetes.error], extra),
      );
      continue;
    }
    if (!apiNode) {
      results.push(fail('nodes', name, `node ${node.name} (${node.role}) is not registered in the Kubernetes API`, [containerLine], extra));
      continue;
    }
    const ready = apiNode.conditions.find((c) => c.type === 'Ready');
    const conditionLine = `Ready condition: ${ready ? `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'missing'}`;
    results.push(
      checkOf(
        ready?.status === 'True',
        'nodes',
        name,
        `${node.name} (${node.role}) is Ready`,
        `node ${node.name} (${node.role}) is not Ready`,
        [containerLine, conditionLine],
        extra,
      ),
    );
  }
  const strangers = snapshot.kubernetes.nodes.filter((n) => !clusterNodes(snapshot).some((c) => c.name === n.name));
  if (strangers.length > 0) {
    results.push(fail('nodes', 'API nodes have containers', `nodes without a node container: ${strangers.map((n) => n.name).join(', ')}`, []));
  } else if (!snapshot.kubernetes.error) {
    results.push(pass('nodes', 'API nodes have containers', `all ${snapshot.kubernetes.nodes.length} API nodes are kind node containers`, []));
  }
  return results;
}
