import type { Command } from 'commander';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';
import { checkOutputFile } from '../common/check-output-path.js';
import { UsageError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { formatCommand } from '../common/shell-quote.js';
import { writePrivateFile } from '../common/write-private-file.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import { readSnapshotFile } from '../inspect/read-snapshot-file.js';
import { loadAnnotations } from '../report/annotations.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/render-report.js';

/** The Docker seam and client-node load only when a cluster is inspected (not for --help, --from or bad input). */
const loadAdapters = () => import('./connect-docker.js');

interface ReportFlags {
  format: string;
  out?: string;
  from?: string;
  lang: string;
  kubeconfig?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('annotated report of a cluster: process trees per node, node table, roles and a diagram')
    .argument('[name]', 'cluster name (optional when only one cluster exists)')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'text')
    .option('--out <file>', 'write the report to a file (mode 0600) instead of stdout')
    .option('--from <snapshot.json>', 'render a snapshot saved by `lab inspect --out` instead of inspecting now')
    .option('--lang <language>', 'annotation texts from templates/annotations/<language>.yaml', 'en')
    .option('--kubeconfig <file>', "use this kubeconfig instead of the cluster's admin.conf")
    .action(async (name: string | undefined, flags: ReportFlags) => {
      if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`invalid --format ${JSON.stringify(flags.format)}`, { hint: `use one of ${REPORT_FORMATS.join(', ')}` });
      }
      if (flags.from && name) throw new UsageError('give either a cluster name or --from, not both');
      if (flags.from && flags.kubeconfig) throw new UsageError('--kubeconfig has no effect with --from: the snapshot is already taken');
      if (name !== undefined) parseLabName(name);
      const out = flags.out === undefined ? undefined : checkOutputFile(flags.out, '--out');
      const texts = loadAnnotations(flags.lang);
      const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig) : undefined;
      const snapshot = flags.from
        ? readSnapshotFile(flags.from)
        : await (async () => {
            const { connectDocker, defaultInspectDependencies } = await loadAdapters();
            return inspectCluster(defaultInspectDependencies(await connectDocker()), {
              ...(name ? { cluster: name } : {}),
              ...(kubeconfigText ? { kubeconfigText } : {}),
              recordedWith: formatCommand('lab', process.argv.slice(2)),
            });
          })();
      const output = renderReport(snapshot, flags.format as ReportFormat, texts);
      if (out) writePrivateFile(out, output);
      else process.stdout.write(output);
    });
}
