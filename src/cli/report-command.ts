import type { Command } from 'commander';
import { checkOptionalOutputFile } from '../common/check-output-path.js';
import { UsageError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { formatCommand } from '../common/shell-quote.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/report-formats.js';
import { addKubeconfigOptions } from './add-kubeconfig-options.js';
import { withHostedLab } from './hosted-lab-flags.js';
import { addNodePathOptions, apiPathClusterName, checkNodePathFlags, chooseNodePath, onApiPath, type NodePathFlags } from './node-path.js';
import { addOutputOption } from './add-output-option.js';

interface ReportFlags extends NodePathFlags {
  output: ReportFormat;
  out?: string;
  from?: string;
  lang: string;
}

export function registerReportCommand(report: Command): void {
  report.argument('[name]', 'cluster name (optional when only one cluster exists)');
  addOutputOption(report, REPORT_FORMATS, { formatAlias: true })
    .option('--out <file>', 'write the report to a file (mode 0600) instead of stdout')
    .option('--from <snapshot.json>', 'render a snapshot saved by `lab inspect --out` instead of inspecting now')
    .option('--lang <language>', 'annotation texts from templates/annotations/<language>.yaml', 'en');
  addNodePathOptions(addKubeconfigOptions(report)).action(async (name: string | undefined, given: ReportFlags) => {
    const flags = given.from ? given : await withHostedLab(parseOptionalLabName(name), given);
    if (flags.from && name) throw new UsageError('give either a cluster name or --from, not both');
    if (flags.from && flags.kubeconfig) throw new UsageError('--kubeconfig has no effect with --from: the snapshot is already taken');
    if (flags.context && !flags.kubeconfig) throw new UsageError('--context needs --kubeconfig: without it the admin.conf from the node is used');
    if (flags.from && (flags.via || flags.agentImage))
      throw new UsageError('--via and --agent-image have no effect with --from: the snapshot is already taken');
    checkNodePathFlags(flags);
    parseOptionalLabName(name);
    const out = checkOptionalOutputFile(flags.out, '--out');
    const [{ loadAnnotations }, { readKubeconfigFlag }, { readSnapshotFile }] = await Promise.all([
      import('../report/annotations.js'),
      import('./read-kubeconfig-flag.js'),
      import('../inspect/read-snapshot-file.js'),
    ]);
    const texts = loadAnnotations(flags.lang);
    const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig, flags.context, name) : undefined;
    // ELK warms up in its worker thread while the lab is read (only the html drawing needs it), unless the lab's last
    // layout is kept: an unchanged lab then needs no ELK, and the warm-up would take the CPU the node reads need.
    const layouts =
      flags.output === 'html' ? import('../report/elk-layout-cache.js').then(({ ElkLayoutCache }) => ElkLayoutCache.inHome(kindlabHome())) : undefined;
    const elk = flags.output === 'html' ? import('../report/elk-in-worker.js') : undefined;
    void Promise.all([layouts, elk]).then(([cache, worker]) => {
      if (cache && worker && !(name && cache.has(name))) worker.elkInWorker();
    });
    // Started before the renderers load: their modules load while the nodes and the API answer.
    const taking = flags.from
      ? Promise.resolve(readSnapshotFile(flags.from))
      : (async () => {
          // The Docker and Kubernetes seams load only when a cluster is inspected (not for --help, --from or bad input).
          const [{ withDocker, defaultInspectDependencies }, { inspectCluster }] = await Promise.all([
            import('./connect-docker.js'),
            import('../inspect/inspect-cluster.js'),
          ]);
          if (kubeconfigText) {
            const cluster = await apiPathClusterName(kubeconfigText, name);
            if ((await chooseNodePath(flags, cluster)) === 'api') {
              return onApiPath(flags, kubeconfigText, cluster, (deps) =>
                inspectCluster(deps, { cluster, connectKube: deps.connectKube, recordedWith: formatCommand('lab', process.argv.slice(2)), command: 'report' }),
              );
            }
          }
          return withDocker((docker) =>
            inspectCluster(defaultInspectDependencies(docker), {
              ...(name ? { cluster: name } : {}),
              ...(kubeconfigText ? { kubeconfigText } : {}),
              recordedWith: formatCommand('lab', process.argv.slice(2)),
              command: 'report',
            }),
          );
        })();
    // Caught here, awaited below: a failed inspection must not surface as unhandled while the renderers load.
    taking.catch(() => undefined);
    const [{ renderReport }, { writePrivateFile }] = await Promise.all([import('../report/render-report.js'), import('../common/write-private-file.js')]);
    const snapshot = await taking;
    if (!snapshot) return;
    const cache = await layouts;
    const worker = await elk;
    const output = await renderReport(snapshot, flags.output, texts, cache && worker ? { elk: cache.elkFor(snapshot.cluster, worker.elkInWorker) } : {});
    if (out) writePrivateFile(out, output);
    else process.stdout.write(output);
  });
}
