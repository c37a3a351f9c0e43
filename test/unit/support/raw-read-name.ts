import { CONTAINERD_TASKS_ARGV, CRICTL_INSPECT_CONTAINERS_ARGV, CRICTL_INSPECT_SANDBOXES_ARGV } from '../../../src/inspect/read-node-processes.js';

/**
 * The name of the raw file (`<node>.<name>.txt`, as `lab inspect --raw-dir` writes them) that answers
 * one command readNodeProcesses runs in a node, or undefined for a command no recording holds.
 */
export function rawReadName(argv: readonly string[]): string | undefined {
  if (argv[0] === 'ps') return 'ps';
  if (argv[0] === 'crictl') return `crictl-${argv[1]}`;
  const script = argv.join(' ');
  if (script === CONTAINERD_TASKS_ARGV.join(' ')) return 'containerd-tasks';
  if (script === CRICTL_INSPECT_SANDBOXES_ARGV.join(' ')) return 'crictl-inspectp';
  if (script === CRICTL_INSPECT_CONTAINERS_ARGV.join(' ')) return 'crictl-inspect';
  return undefined;
}
