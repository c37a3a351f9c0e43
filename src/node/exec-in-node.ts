import { KindlabError } from '../common/kindlab-error.js';
import { NODE_EXEC_TIMEOUT_MS, type NodeExec, type NodeExecOptions } from './node-exec.js';

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
  const command = exec.command(node, argv);
  let result;
  try {
    result = await exec.exec(node, argv, { timeoutMs: NODE_EXEC_TIMEOUT_MS, ...options });
  } catch (cause) {
    if (cause instanceof KindlabError || options.signal?.aborted) throw cause;
    throw new KindlabError(`failed to run \`${command}\`: ${(cause as Error).message}`, { cause });
  }
  if (result.exitCode !== 0) {
    throw new NodeCommandError(
      `failed to run \`${command}\` (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
      result.exitCode === 126 || result.exitCode === 127,
    );
  }
  return result.stdout;
}
