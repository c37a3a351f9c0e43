import { KindlabError } from '../common/kindlab-error.js';
import type { NodeExec } from '../inspect/docker/node-exec.js';
import type { ClusterContainer } from '../inspect/docker/cluster-containers.js';
import { formatCommand } from '../common/shell-quote.js';

/** Runs argv in a node (or the external etcd container) and returns stdout; a non-zero exit is an error. */
export async function execInNode(exec: NodeExec, node: ClusterContainer, argv: readonly string[]): Promise<string> {
  let result;
  try {
    result = await exec.exec(node.id, argv);
  } catch (cause) {
    throw new KindlabError(`failed to run \`${formatCommand(argv[0] ?? '', argv.slice(1))}\` in ${node.name}`, { cause });
  }
  if (result.exitCode !== 0) {
    throw new KindlabError(
      `failed to run \`${formatCommand(argv[0] ?? '', argv.slice(1))}\` in ${node.name} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
    );
  }
  return result.stdout;
}

/** The command a workshop would type to see the same thing from the host. */
export function dockerExecCommand(node: ClusterContainer, argv: readonly string[]): string {
  return formatCommand('docker', ['exec', node.name, ...argv]);
}
