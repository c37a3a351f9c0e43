import { groupByRole } from './group-by-role.js';

/** The shape of a lab as the report and the live page show it. */
export interface TopologyCounts {
  controlPlanes: number;
  workers: number;
  loadBalancer: boolean;
  externalEtcd: boolean;
}

export function topologyCounts(nodes: readonly { role: string }[]): TopologyCounts {
  const roles = groupByRole(nodes);
  return {
    controlPlanes: roles.controlPlanes.length,
    workers: roles.workers.length,
    loadBalancer: roles.loadBalancer !== undefined,
    externalEtcd: roles.externalEtcd !== undefined,
  };
}
