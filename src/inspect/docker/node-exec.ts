export interface NodeExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program inside a node container (argv, never a shell string). */
export interface NodeExec {
  exec(containerId: string, argv: readonly string[]): Promise<NodeExecResult>;
}
