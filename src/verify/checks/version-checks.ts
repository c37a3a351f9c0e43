import { checkOf, fail, skip, type CheckResult } from '../check-result.js';
import type { ClusterEvidence } from '../cluster-evidence.js';
import type { Expectation } from '../expectation.js';
import { versionMatches } from '../version-pattern.js';

/** kubelet on every node and the API server report a version inside the expected pattern. */
export function versionChecks(evidence: ClusterEvidence, expectation: Expectation): CheckResult[] {
  const pattern = expectation.kubernetesVersion;
  if (!pattern) return [skip('versions', 'Kubernetes version', 'the expectation names no kubernetesVersion')];
  const results: CheckResult[] = [];
  const api = evidence.apiVersion;
  if (!api) results.push(skip('versions', 'API server version', 'not gathered'));
  else if (!api.ok)
    results.push(fail('versions', 'API server version', `the API server did not report its version: ${api.error}`, [], { component: 'kube-apiserver' }));
  else {
    results.push(
      checkOf(
        versionMatches(pattern, api.value.gitVersion),
        'versions',
        'API server version',
        `kube-apiserver ${api.value.gitVersion} matches ${pattern.text}`,
        `kube-apiserver is ${api.value.gitVersion}, expected ${pattern.text}`,
        [`GET ${api.value.server}/version: gitVersion ${api.value.gitVersion}`],
        { component: 'kube-apiserver' },
      ),
    );
  }
  for (const node of evidence.snapshot.kubernetes.nodes) {
    results.push(
      checkOf(
        versionMatches(pattern, node.kubeletVersion),
        'versions',
        `kubelet version on ${node.name}`,
        `kubelet ${node.kubeletVersion} on ${node.name} matches ${pattern.text}`,
        `kubelet on ${node.name} is ${node.kubeletVersion}, expected ${pattern.text}`,
        [`node ${node.name}: kubeletVersion ${node.kubeletVersion}, runtime ${node.containerRuntimeVersion}`],
        { node: node.name, component: 'kubelet' },
      ),
    );
  }
  return results;
}
