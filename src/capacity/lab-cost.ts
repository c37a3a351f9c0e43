/** What one lab costs the host, at idle. */
export interface LabCost {
  /** Kubernetes nodes (kind node containers) of the lab. */
  nodes: number;
  memoryBytes: number;
  /** CPU in cores (0.15 = 15 % of one core). */
  cpuCores: number;
  pids: number;
  diskBytes: number;
  inotifyInstances: number;
  /** Where the numbers come from: "measured on team-01, team-02" or the recorded file's row. */
  source: string;
}
