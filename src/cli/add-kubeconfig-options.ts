import type { Command } from 'commander';

/** What addKubeconfigOptions adds to a command's flags. */
export interface KubeconfigFlags {
  kubeconfig?: string;
  context?: string;
}

/** `--kubeconfig` and `--context` of every command that reads a lab's credentials (see read-kubeconfig-flag.ts). */
export function addKubeconfigOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', "the kubeconfig file that holds the lab's context (default: the cluster's admin.conf, read from its node)")
    .option('--context <name>', 'the context in --kubeconfig to use (default kind-<name>, or the current context when no name is given)');
}
