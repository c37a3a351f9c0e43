import { KindlabError } from '../common/kindlab-error.js';
import { NODE_EXEC_TIMEOUT_MS, type NodeExec, type NodeExecOptions, type NodeExecResult } from './node-exec.js';

/** A command that ran in a node and exited non-zero; `notInstalled` lets callers tell "not installed" (126/127) apart. */
export class NodeCommandError extends KindlabError {
  constructor(
    message: string,
    readonly notInstalled: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'NodeCommandError';
  }
}

/**
 * Runs argv in a node and returns stdout; failing to run it or a non-zero exit is an error that
 * names the command ready to paste. Stopped after NODE_EXEC_TIMEOUT_MS unless options say otherwise.
 */
export async function execInNode(exec: NodeExec, node: string, argv: readonly string[], options: NodeExecOptions = {}): Promise<string> {
  let result;
  try {
    result = await exec.exec(node, argv, { timeoutMs: NODE_EXEC_TIMEOUT_MS, ...options });
  } catch (cause) {
    if (cause instanceof KindlabError || options.signal?.aborted) throw cause;
    throw new KindlabError(`failed to run \`${exec.command(node, argv)}\`: ${(cause as Error).message}`, { cause });
  }
  return stdoutOf(exec, node, argv, result);
}

/** The stdout of a command's result (from exec or execEach), or the NodeCommandError execInNode throws for it. */
export function stdoutOf(exec: NodeExec, node: string, argv: readonly string[], result: NodeExecResult): string {
  if (result.exitCode !== 0) {
    throw new NodeCommandError(
      `failed to run \`${exec.command(node, argv)}\` (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
      result.exitCode === 126 || result.exitCode === 127,
    );
  }
  return result.stdout;
}

/**
 * Runs several commands in a node (NodeExec.execEach, one exec where the node allows) and returns
 * their results in order; failing to run the batch is an error that names it. Stopped after
 * NODE_EXEC_TIMEOUT_MS unless options say otherwise. Read each result with stdoutOf.
 */
export async function execEachInNode(
  exec: NodeExec,
  node: string,
  argvs: readonly (readonly string[])[],
  options: NodeExecOptions = {},
): Promise<NodeExecResult[]> {
  try {
    return await exec.execEach(node, argvs, { timeoutMs: NODE_EXEC_TIMEOUT_MS, ...options });
  } catch (cause) {
    if (cause instanceof KindlabError || options.signal?.aborted) throw cause;
    throw new KindlabError(`failed to run \`${argvs.map((argv) => exec.command(node, argv)).join('; ')}\`: ${(cause as Error).message}`, { cause });
  }
}
