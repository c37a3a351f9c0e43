import { topologyCounts } from '../inspect/topology-counts.js';
import { redactRecord, redactText } from '../inspect/redact-secrets.js';
import type { NodeSnapshot, ProcessRecord, Snapshot } from '../inspect/snapshot.js';
import type { Annotations } from '../report/annotations.js';
import { annotate, componentsOf } from '../report/build-report-model.js';
import { forestOrder } from '../inspect/process-tree.js';
import type { LiveLink, LiveNode, LivePod, LiveProcess, LiveView } from './live-view.js';
import { compareText } from '../common/compare-text.js';

/** What a container without a process list runs, known from its role (as the report says). */
const ROLE_COMPONENTS: Partial<Record<string, string[]>> = { 'external-etcd': ['etcd'], 'external-load-balancer': ['haproxy'] };

/** The page's picture of a snapshot: per node its services and one group per pod, and the arrows between components. */
export function buildLiveView(snapshot: Snapshot, texts: Annotations): LiveView {
  const nodes = snapshot.nodes.map((node) => liveNode(node, snapshot, texts));
  return {
    cluster: snapshot.cluster,
    capturedAt: snapshot.capturedAt,
    topology: topologyCounts(snapshot.nodes),
    nodes,
    links: linksOf(nodes, texts),
    warnings: snapshot.warnings.map(redactText),
  };
}

function liveNode(node: NodeSnapshot, snapshot: Snapshot, texts: Annotations): LiveNode {
  const ordered = forestOrder(node.processes).map(({ process }) => process);
  const live = (p: ProcessRecord): LiveProcess => ({
    pid: p.pid,
    ppid: p.ppid,
    args: redactText(p.args),
    kind: p.identity.kind,
    ...(p.identity.component ? { component: p.identity.component } : {}),
    ...(p.identity.container ? { container: p.identity.container } : {}),
    ...(p.identity.pod ? { pod: `${p.identity.pod.namespace}/${p.identity.pod.name}` } : {}),
    annotation: annotate(p, texts),
  });
  // By namespace/name: a static pod's sandbox carries the kubelet's uid, its mirror pod in the API another one.
  const pods = new Map<string, LivePod>();
  const podOf = (ref: { namespace: string; name: string; uid: string }): LivePod => {
    const key = `${ref.namespace}/${ref.name}`;
    let pod = pods.get(key);
    if (!pod) {
      const api = snapshot.kubernetes.pods.find((k) => k.namespace === ref.namespace && k.name === ref.name);
      pod = {
        namespace: ref.namespace,
        name: ref.name,
        uid: ref.uid,
        phase: api?.phase ?? '',
        static: api?.static ?? false,
        processes: [],
        annotations: redactRecord(api?.annotations ?? {}),
      };
      pods.set(key, pod);
    }
    return pod;
  };
  const services: LiveProcess[] = [];
  for (const p of ordered) {
    const pod = p.identity.pod;
    if (p.identity.kind === 'system') services.push(live(p));
    // A second shim of a pod (containerd started one for a container: verify's component checks say when) is drawn among its processes.
    else if (pod && p.identity.kind === 'shim' && !podOf(pod).shim) podOf(pod).shim = live(p);
    else if (pod && p.identity.kind === 'shim') podOf(pod).processes.push(live(p));
    else if (pod && p.identity.kind === 'pause') podOf(pod).pause = live(p);
    else if (pod && p.identity.kind === 'container') podOf(pod).processes.push(live(p));
  }
  // Pods the API places on this node whose sandbox is not up yet: drawn empty, so a new pod shows at once.
  for (const api of snapshot.kubernetes.pods) if (api.nodeName === node.name) podOf(api);
  const components = componentsOf(node.processes);
  return {
    name: node.name,
    role: node.role,
    services,
    pods: [...pods.values()].sort((a, b) => compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`)),
    components: components.length > 0 ? components : (ROLE_COMPONENTS[node.role] ?? []),
  };
}

/** kubelet -> api-server (through the load balancer in ha), api-server -> etcd, api-server -> kubelet. */
function linksOf(nodes: LiveNode[], texts: Annotations): LiveLink[] {
  const has = (node: LiveNode, component: string) => node.components.includes(component);
  const apiServers = nodes.filter((n) => has(n, 'kube-apiserver'));
  const loadBalancer = nodes.find((n) => n.role === 'external-load-balancer');
  const externalEtcd = nodes.find((n) => n.role === 'external-etcd');
  const links: LiveLink[] = [];
  const c = texts.communication;
  const lbComponent = loadBalancer?.components[0];
  for (const node of nodes.filter((n) => has(n, 'kubelet'))) {
    const target = loadBalancer && lbComponent ? `${loadBalancer.name}/${lbComponent}` : apiServers[0] ? `${apiServers[0].name}/kube-apiserver` : undefined;
    if (target) links.push({ from: `${node.name}/kubelet`, to: target, label: c.workerToApiServer ?? 'kubelet -> api-server' });
  }
  if (loadBalancer && lbComponent) {
    for (const api of apiServers) {
      links.push({
        from: `${loadBalancer.name}/${lbComponent}`,
        to: `${api.name}/kube-apiserver`,
        label: c.loadBalancerToApiServer ?? 'load balancer -> api-server',
      });
    }
  }
  for (const api of apiServers) {
    const etcd = externalEtcd ? `${externalEtcd.name}/etcd` : has(api, 'etcd') ? `${api.name}/etcd` : undefined;
    if (etcd) links.push({ from: `${api.name}/kube-apiserver`, to: etcd, label: c.apiServerToEtcd ?? 'api-server -> etcd' });
  }
  const first = apiServers[0];
  if (first) {
    for (const node of nodes.filter((n) => has(n, 'kubelet'))) {
      links.push({ from: `${first.name}/kube-apiserver`, to: `${node.name}/kubelet`, label: c.apiServerToKubelet ?? 'api-server -> kubelet' });
    }
  }
  return links;
}
