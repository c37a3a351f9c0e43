/** A lab's nodes by the role kind labelled them with (io.x-k8s.kind.role, or kindlab's for the external etcd). */
export interface RoleGroups<T> {
  controlPlanes: T[];
  workers: T[];
  loadBalancer: T | undefined;
  externalEtcd: T | undefined;
}

export function groupByRole<T extends { role: string }>(nodes: readonly T[]): RoleGroups<T> {
  return {
    controlPlanes: nodes.filter((n) => n.role === 'control-plane'),
    workers: nodes.filter((n) => n.role === 'worker'),
    loadBalancer: nodes.find((n) => n.role === 'external-load-balancer'),
    externalEtcd: nodes.find((n) => n.role === 'external-etcd'),
  };
}
