import type { Command } from 'commander';
import { checkOptionalOutputFile } from '../common/check-output-path.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import type { ClusterEvidence } from '../verify/cluster-evidence.js';
import { BUILT_IN_EXPECTATIONS } from '../verify/built-in-expectations.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import { addOutputOption } from './add-output-option.js';
import { durationOption } from './duration-option.js';

const FORMATS = ['text', 'json', 'junit'] as const;

interface VerifyFlags {
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
    .addOption(durationOption('--probe-timeout <duration>', 'how long probe pods may take', 90_000))
    .action(async (name: string | undefined, flags: VerifyFlags) => {
      parseOptionalLabName(name);
      // Everything the run will read or write, checked before the first probe pod exists.
      const out = checkOptionalOutputFile(flags.out, '--out');
      const evidenceOut = checkOptionalOutputFile(flags.evidenceOut, '--evidence-out');
      // Loaded after the flags are checked: the Kubernetes client takes seconds to load.
      const { loadExpectation } = await import('../verify/load-expectation.js');
      if (flags.expect) await loadExpectation(flags.expect);
      const [{ defaultVerifyDependencies }, { connectDocker }, { verifyCluster }, { writePrivateFile }, { redactJson }, renderers, { labForName }] =
        await Promise.all([
          import('../verify/default-verify-dependencies.js'),
          import('./connect-docker.js'),
          import('../verify/verify-cluster.js'),
          import('../common/write-private-file.js'),
          import('../inspect/redact-secrets.js'),
          loadRenderers(),
          import('../cluster/lab-for-name.js'),
        ]);
      const docker = await connectDocker();
      const lab = name ? await labForName(docker, name) : undefined;
      // Ctrl-C stops the waiting; verify still deletes its probe pods before the command exits.
      const interrupt = abortOnSignals(() => {});
      let evidence: ClusterEvidence | undefined;
      try {
        const report = await verifyCluster(defaultVerifyDependencies(docker), {
          ...(lab ? { cluster: lab } : {}),
          ...(flags.expect ? { expect: flags.expect } : {}),
          probeTimeoutMs: flags.probeTimeout,
          signal: interrupt.signal,
          ...(evidenceOut ? { onEvidence: (e: ClusterEvidence) => (evidence = e) } : {}),
        });
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
      } catch (error) {
        if (!interrupt.signal.aborted) throw error;
        process.stderr.write('verify interrupted; its probe pods were removed\n');
        process.exitCode = exitCodeForSignal(interrupt.signal.reason);
      } finally {
        interrupt.dispose();
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
