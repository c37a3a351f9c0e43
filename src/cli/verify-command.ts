import type { Command } from 'commander';
import { checkOptionalOutputFile } from '../common/check-output-path.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { kindlabHome } from '../common/paths.js';
import type { ClusterEvidence } from '../verify/cluster-evidence.js';
import type { VerifyReport } from '../verify/check-result.js';
import { BUILT_IN_EXPECTATIONS } from '../verify/built-in-expectations.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import { addKubeconfigOptions } from './add-kubeconfig-options.js';
import { addOutputOption } from './add-output-option.js';
import { withHostedLab } from './hosted-lab-flags.js';
import { addNodePathOptions, apiPathClusterName, checkNodePathFlags, chooseNodePath, onApiPath, type NodePathFlags } from './node-path.js';
import { UsageError } from '../common/kindlab-error.js';
import { durationOption } from './duration-option.js';

const FORMATS = ['text', 'json', 'junit'] as const;

interface VerifyFlags extends NodePathFlags {
  expect?: string;
  output: string;
  out?: string;
  verbose?: boolean;
  evidenceOut?: string;
  probeTimeout: number;
}

export function registerVerifyCommand(command: Command): void {
  const verify = command
    .argument('[name]', 'lab name, or the participant a pool lab was handed to (default: the only running cluster)')
    .option('--expect <expectation>', `${BUILT_IN_EXPECTATIONS.join('|')} or a YAML expectation file (default: the topology the lab recorded at lab up)`);
  addOutputOption(verify, FORMATS, { formatAlias: true })
    .option('--out <file>', 'write the result to a file instead of stdout (a one-line summary still goes to stderr)')
    .option('--verbose', 'text output: show the evidence of passing checks too')
    .option('--evidence-out <file>', 'also save everything the checks looked at (snapshot and probes) as JSON')
    .addOption(durationOption('--probe-timeout <duration>', 'how long probe pods may take', 90_000));
  addNodePathOptions(addKubeconfigOptions(verify)).action(async (name: string | undefined, given: VerifyFlags) => {
    parseOptionalLabName(name);
    const flags = await withHostedLab(name, given);
    if (flags.context && !flags.kubeconfig) throw new UsageError('--context needs --kubeconfig: without it the admin.conf from the node is used');
    checkNodePathFlags(flags);
    // Everything the run will read or write, checked before the first probe pod exists.
    const out = checkOptionalOutputFile(flags.out, '--out');
    const evidenceOut = checkOptionalOutputFile(flags.evidenceOut, '--evidence-out');
    // Loaded after the flags are checked: the Kubernetes client takes seconds to load.
    const { loadExpectation } = await import('../verify/load-expectation.js');
    if (flags.expect) await loadExpectation(flags.expect);
    const [{ readKubeconfigFlag }, { defaultVerifyDependencies }, { connectDocker }, { verifyCluster }, { writePrivateFile }, { redactJson }, renderers] =
      await Promise.all([
        import('./read-kubeconfig-flag.js'),
        import('../verify/default-verify-dependencies.js'),
        import('./connect-docker.js'),
        import('../verify/verify-cluster.js'),
        import('../common/write-private-file.js'),
        import('../inspect/redact-secrets.js'),
        loadRenderers(),
      ]);
    const kubeconfigText = flags.kubeconfig ? readKubeconfigFlag(flags.kubeconfig, flags.context, name) : undefined;
    const cluster = kubeconfigText ? await apiPathClusterName(kubeconfigText, name) : undefined;
    const via = cluster ? await chooseNodePath(flags, cluster) : 'docker';
    let evidence: ClusterEvidence | undefined;
    // A hosted lab's record names its topology: the built-in expectation of that topology, not a guess.
    const expect = flags.expect ?? flags.hostedLab?.topology;
    const options = {
      ...(expect ? { expect } : {}),
      probeTimeoutMs: flags.probeTimeout,
      ...(evidenceOut ? { onEvidence: (e: ClusterEvidence) => (evidence = e) } : {}),
    };
    if (via === 'api') {
      const report = await onApiPath(flags, kubeconfigText!, cluster!, (deps, signal) =>
        verifyCluster(deps, { ...options, cluster: cluster!, connectKube: deps.connectKube, signal }),
      );
      if (report) emit(report);
      return;
    }
    const docker = await connectDocker();
    // A pool lab answers to its participant's name too (`lab claim alice`, then `lab verify alice`).
    const lab = cluster ?? (name ? await (await import('../cluster/lab-for-name.js')).labForName(docker, name) : undefined);
    const connectKube = kubeconfigText
      ? await import('../kube/https-kube-api.js').then(({ connectHttpsKubeApi }) => {
          const kube = connectHttpsKubeApi(kubeconfigText);
          return async () => kube;
        })
      : undefined;
    // The `lab serve` index shows a kindlab lab's last outcome; a cluster reached through --kubeconfig keeps none.
    const outcomes = kubeconfigText ? undefined : await import('../verify/verify-outcome-store.js').then((m) => m.VerifyOutcomeStore.inHome(kindlabHome()));
    // Ctrl-C stops the waiting; verify still deletes its probe pods before the command exits.
    const interrupt = abortOnSignals(() => {});
    try {
      emit(
        await verifyCluster(defaultVerifyDependencies(docker), {
          ...options,
          ...(lab ? { cluster: lab } : {}),
          ...(connectKube ? { connectKube } : {}),
          ...(outcomes ? { outcomes } : {}),
          signal: interrupt.signal,
        }),
      );
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
      process.stderr.write('verify interrupted; its probe pods were removed\n');
      process.exitCode = exitCodeForSignal(interrupt.signal.reason);
    } finally {
      interrupt.dispose();
    }

    function emit(report: VerifyReport): void {
      if (evidenceOut && evidence) {
        const recordedWith = `lab ${process.argv.slice(2).join(' ')}`;
        writePrivateFile(evidenceOut, `${JSON.stringify(redactJson({ recordedWith, ...evidence }), null, 2)}\n`);
      }
      const rendered =
        flags.output === 'json'
          ? renderers.renderVerifyJson(report)
          : flags.output === 'junit'
            ? renderers.renderVerifyJunit(report)
            : renderers.renderVerifyText(report, { allEvidence: flags.verbose === true });
      if (out) {
        writePrivateFile(out, rendered);
        const failed = report.checks.filter((c) => c.status === 'fail');
        process.stderr.write(
          `${report.cluster}: ${report.checks.length - failed.length}/${report.checks.length} checks passed${failed.length ? `; failed: ${failed.map((c) => c.name).join('; ')}` : ''} (${flags.out})\n`,
        );
      } else {
        process.stdout.write(rendered);
      }
      process.exitCode = report.passed ? 0 : 1;
    }
  });
}

async function loadRenderers() {
  const [{ renderVerifyJson }, { renderVerifyJunit }, { renderVerifyText }] = await Promise.all([
    import('../verify/render-json.js'),
    import('../verify/render-junit.js'),
    import('../verify/render-text.js'),
  ]);
  return { renderVerifyJson, renderVerifyJunit, renderVerifyText };
}
