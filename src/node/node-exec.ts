/** How long one command in a node may take unless the caller says otherwise (crictl on a busy node answers within seconds). */
export const NODE_EXEC_TIMEOUT_MS = 30_000;

export interface NodeExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface NodeExecOptions {
  /** Stop waiting after this long: the exec is killed and the call rejects with NodeExecTimeoutError. */
  timeoutMs?: number;
  /** Aborting kills the exec and rejects. */
  signal?: AbortSignal;
}

/**
 * Runs a program inside a node of a lab (argv, never a shell string), by node name: a kind node, the
 * load balancer or the external etcd container. Implemented over the Docker seam (DockerNodeExec)
 * and over the Kubernetes API alone, through an agent pod per node (KubeAgentNodeExec).
 */
export interface NodeExec {
  exec(node: string, argv: readonly string[], options?: NodeExecOptions): Promise<NodeExecResult>;
  /**
   * Runs several commands in a node and answers one result per command, in order, as if each had
   * been run by exec (the Docker implementation runs them in one `docker exec` when the node has a
   * shell). The options apply to the whole batch.
   */
  execEach(node: string, argvs: readonly (readonly string[])[], options?: NodeExecOptions): Promise<NodeExecResult[]>;
  /** The same command as a user would type it on the host (for messages and workshop displays). */
  command(node: string, argv: readonly string[]): string;
  /** Pods the implementation itself runs in the cluster (the API path's agents), which a snapshot leaves out. */
  ownPods?(): Array<{ namespace: string; name: string }>;
}
