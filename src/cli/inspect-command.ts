import { join } from 'node:path';
import type { Command } from 'commander';
import { checkOutputDirectory, checkOptionalOutputFile } from '../common/check-output-path.js';
import { UsageError } from '../common/kindlab-error.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { formatCommand } from '../common/shell-quote.js';
import { addKubeconfigOptions } from './add-kubeconfig-options.js';
import { withHostedLab } from './hosted-lab-flags.js';
import { addNodePathOptions, apiPathClusterName, checkNodePathFlags, chooseNodePath, onApiPath, type NodePathFlags } from './node-path.js';
import { addOutputOption } from './add-output-option.js';

interface InspectFlags extends NodePathFlags {
  output: string;
  out?: string;
  rawDir?: string;
}

export function registerInspectCommand(inspect: Command): void {
  inspect.argument('[name]', 'cluster name (optional when only one cluster exists)');
  addOutputOption(inspect, ['text', 'json']).option('--out <file>', 'write the JSON snapshot (schema kindlab.dev/snapshot/v1) to a file (mode 0600)');
  addNodePathOptions(addKubeconfigOptions(inspect))
    .option('--raw-dir <dir>', 'also save every raw ps/crictl output there, redacted (to record test fixtures)')
    .action(async (name: string | undefined, given: InspectFlags) => {
      parseOptionalLabName(name);
      const flags = await withHostedLab(name, given);
      const out = checkOptionalOutputFile(flags.out, '--out');
      const rawDir = flags.rawDir === undefined ? undefined : checkOutputDirectory(flags.rawDir, '--raw-dir');
      if (flags.context && !flags.kubeconfig) throw new UsageError('--context needs --kubeconfig: without it the admin.conf from the node is used');
      checkNodePathFlags(flags);
      const { readKubeconfigFlag } = await import('./read-kubeconfig-flag.js');
      const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig, flags.context, name) : undefined;
      // The Docker and Kubernetes seams load only when a cluster is inspected (not for --help or bad input).
      const [
        { connectDocker, defaultInspectDependencies },
        { inspectCluster },
        { makePrivateDirectory, writePrivateFile },
        { redactRawOutput },
        { redactSnapshot },
        { summarizeSnapshot },
      ] = await Promise.all([
        import('./connect-docker.js'),
        import('../inspect/inspect-cluster.js'),
        import('../common/write-private-file.js'),
        import('../inspect/redact-secrets.js'),
        import('../inspect/redact-snapshot.js'),
        import('../inspect/summarize-snapshot.js'),
      ]);
      const cluster = kubeconfigText ? await apiPathClusterName(kubeconfigText, name) : undefined;
      const via = cluster ? await chooseNodePath(flags, cluster) : 'docker';
      if (rawDir) makePrivateDirectory(rawDir);
      const options = {
        recordedWith: formatCommand('lab', process.argv.slice(2)),
        ...(rawDir
          ? {
              record: (node: string, what: string, argv: readonly string[], stdout: string) =>
                writePrivateFile(
                  join(rawDir, `${node}.${what}.txt`),
                  `# recorded with: ${via === 'api' ? `an agent pod on ${node}: chroot /host` : `docker exec ${node}`} ${formatCommand(argv[0]!, argv.slice(1))}\n${redactRawOutput(stdout)}`,
                ),
            }
          : {}),
      };
      const taken =
        via === 'api'
          ? await onApiPath(flags, kubeconfigText!, cluster!, (deps) => inspectCluster(deps, { ...options, cluster: cluster!, connectKube: deps.connectKube }))
          : await inspectCluster(defaultInspectDependencies(await connectDocker()), {
              ...options,
              ...(name ? { cluster: name } : {}),
              ...(kubeconfigText ? { kubeconfigText } : {}),
            });
      if (!taken) return;
      const snapshot = redactSnapshot(taken);
      const json = `${JSON.stringify(snapshot, null, 2)}\n`;
      if (out) writePrivateFile(out, json);
      process.stdout.write(flags.output === 'json' ? json : summarizeSnapshot(snapshot));
    });
}
