import type { ContainerFacts, ContainerRole, ContainerStats } from '../snapshot.js';

export interface ClusterContainer extends ContainerFacts {
  name: string;
  role: ContainerRole;
  /**
   * Its init's pid on the daemon's host while it runs (Docker's State.Pid): where this host may read
   * its files without an exec (readContainerFileOnHost checks that it is this container). Not in the snapshot.
   */
  hostPid?: number;
}

/** The Docker side of a cluster: its containers (found by label) and their resource use. */
export interface ClusterContainers {
  /** Names of the kind clusters that have containers on this Docker host. */
  listClusters(): Promise<string[]>;
  /** Nodes, load balancer and external etcd of one cluster. */
  listContainers(cluster: string): Promise<ClusterContainer[]>;
  /** One sample, like `docker stats --no-stream`. */
  stats(containerId: string): Promise<ContainerStats>;
}
