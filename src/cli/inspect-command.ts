import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';
import { formatCommand } from '../common/shell-quote.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';

/** dockerode and client-node load only when a cluster is inspected (not for --help or --from). */
const loadAdapters = () => import('../inspect/default-inspect-dependencies.js');
import { summarizeSnapshot } from '../inspect/summarize-snapshot.js';

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
    .option('--out <file>', 'write the JSON snapshot to a file')
    .option('--kubeconfig <file>', "use this kubeconfig instead of the cluster's admin.conf")
    .option('--raw-dir <dir>', 'also save every raw ps/crictl output there (to record test fixtures)')
    .action(async (name: string | undefined, flags: InspectFlags) => {
      const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig) : undefined;
      const rawDir = flags.rawDir;
      if (rawDir) mkdirSync(rawDir, { recursive: true });
      const snapshot = await inspectCluster((await loadAdapters()).defaultInspectDependencies(), {
        ...(name ? { cluster: name } : {}),
        ...(kubeconfigText ? { kubeconfigText } : {}),
        recordedWith: formatCommand('lab', process.argv.slice(2)),
        ...(rawDir
          ? {
              record: (node: string, what: string, argv: readonly string[], stdout: string) =>
                writeFileSync(join(rawDir, `${node}.${what}.txt`), `# recorded with: docker exec ${node} ${formatCommand(argv[0]!, argv.slice(1))}\n${stdout}`),
            }
          : {}),
      });
      const json = `${JSON.stringify(snapshot, null, 2)}\n`;
      if (flags.out) writeFileSync(flags.out, json);
      process.stdout.write(flags.json ? json : summarizeSnapshot(snapshot));
    });
}

