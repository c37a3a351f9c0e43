import { join } from 'node:path';
import type { Command } from 'commander';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';
import { checkOutputDirectory, checkOutputFile } from '../common/check-output-path.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { formatCommand } from '../common/shell-quote.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import { redactRawOutput } from '../inspect/redact-secrets.js';
import { redactSnapshot } from '../inspect/redact-snapshot.js';
import { summarizeSnapshot } from '../inspect/summarize-snapshot.js';

/** The Docker seam and client-node load only when a cluster is inspected (not for --help or bad input). */
const loadAdapters = () => import('./connect-docker.js');

interface InspectFlags {
  json?: boolean;
  out?: string;
  kubeconfig?: string;
  rawDir?: string;
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('snapshot a cluster: node containers, process trees, containerd pods and the Kubernetes view')
    .argument('[name]', 'cluster name (optional when only one cluster exists)')
    .option('--json', 'print the snapshot as JSON (schema kindlab.dev/snapshot/v1)')
    .option('--out <file>', 'write the JSON snapshot to a file (mode 0600)')
    .option('--kubeconfig <file>', "use this kubeconfig instead of the cluster's admin.conf")
    .option('--raw-dir <dir>', 'also save every raw ps/crictl output there, redacted (to record test fixtures)')
    .action(async (name: string | undefined, flags: InspectFlags) => {
      if (name !== undefined) parseLabName(name);
      const out = flags.out === undefined ? undefined : checkOutputFile(flags.out, '--out');
      const rawDir = flags.rawDir === undefined ? undefined : checkOutputDirectory(flags.rawDir, '--raw-dir');
      const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig) : undefined;
      const { connectDocker, defaultInspectDependencies } = await loadAdapters();
      const docker = await connectDocker();
      if (rawDir) makePrivateDirectory(rawDir);
      const snapshot = redactSnapshot(
        await inspectCluster(defaultInspectDependencies(docker), {
          ...(name ? { cluster: name } : {}),
          ...(kubeconfigText ? { kubeconfigText } : {}),
          recordedWith: formatCommand('lab', process.argv.slice(2)),
          ...(rawDir
            ? {
                record: (node: string, what: string, argv: readonly string[], stdout: string) =>
                  writePrivateFile(
                    join(rawDir, `${node}.${what}.txt`),
                    `# recorded with: docker exec ${node} ${formatCommand(argv[0]!, argv.slice(1))}\n${redactRawOutput(stdout)}`,
                  ),
              }
            : {}),
        }),
      );
      const json = `${JSON.stringify(snapshot, null, 2)}\n`;
      if (out) writePrivateFile(out, json);
      process.stdout.write(flags.json ? json : summarizeSnapshot(snapshot));
    });
}
