import type { KindNode } from '../topology/kind-config.js';

/** The names kind v0.30.0 gives a cluster's containers (MakeNodeNamer: `<cluster>-<role>[n]`, n from 2; the HA load balancer). */
export function kindContainerNames(cluster: string, nodes: ReadonlyArray<Pick<KindNode, 'role'>>): string[] {
  const counts = new Map<string, number>();
  const names = nodes.map((node) => {
    const n = (counts.get(node.role) ?? 0) + 1;
    counts.set(node.role, n);
    return `${cluster}-${node.role}${n > 1 ? n : ''}`;
  });
  if (nodes.filter((n) => n.role === 'control-plane').length > 1) names.push(`${cluster}-external-load-balancer`);
  return names;
}
