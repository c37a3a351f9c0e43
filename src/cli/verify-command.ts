import type { Command } from 'commander';
import { checkOutputFile } from '../common/check-output-path.js';
import { UsageError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { writePrivateFile } from '../common/write-private-file.js';
import { redactJson } from '../inspect/redact-secrets.js';
import type { ClusterEvidence } from '../verify/cluster-evidence.js';
import { BUILT_IN_EXPECTATIONS } from '../verify/expectation.js';
import { loadExpectation } from '../verify/load-expectation.js';
import { renderVerifyJson } from '../verify/render-json.js';
import { renderVerifyJunit } from '../verify/render-junit.js';
import { renderVerifyText } from '../verify/render-text.js';
import { verifyCluster } from '../verify/verify-cluster.js';

const FORMATS = ['text', 'json', 'junit'] as const;

interface VerifyFlags {
  expect?: string;
  format: string;
  out?: string;
  verbose?: boolean;
  evidenceOut?: string;
  probeTimeout: string;
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('check that a running lab is the topology it should be: named checks with the evidence they saw')
    .argument('[name]', 'lab name (default: the only running cluster)')
    .option('--expect <expectation>', `${BUILT_IN_EXPECTATIONS.join('|')} or a YAML expectation file (default: inferred from the cluster)`)
    .option('--format <format>', FORMATS.join('|'), 'text')
    .option('--out <file>', 'write the result to a file instead of stdout (a one-line summary still goes to stderr)')
    .option('--verbose', 'text format: show the evidence of passing checks too')
    .option('--evidence-out <file>', 'also save everything the checks looked at (snapshot and probes) as JSON')
    .option('--probe-timeout <seconds>', 'how long probe pods may take', '90')
    .action(async (name: string | undefined, flags: VerifyFlags) => {
      if (!(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`invalid --format ${JSON.stringify(flags.format)}`, { hint: `use one of ${FORMATS.join(', ')}` });
      }
      const probeSeconds = Number(flags.probeTimeout);
      if (!Number.isFinite(probeSeconds) || probeSeconds <= 0) {
        throw new UsageError(`invalid --probe-timeout ${JSON.stringify(flags.probeTimeout)}: expected a positive number of seconds`);
      }
      if (name !== undefined) parseLabName(name);
      // Everything the run will read or write, checked before the first probe pod exists.
      const out = flags.out === undefined ? undefined : checkOutputFile(flags.out, '--out');
      const evidenceOut = flags.evidenceOut === undefined ? undefined : checkOutputFile(flags.evidenceOut, '--evidence-out');
      if (flags.expect) await loadExpectation(flags.expect);
      // Loaded after the checks: the Kubernetes client takes seconds to load.
      const [{ defaultVerifyDependencies }, { connectDocker }] = await Promise.all([
        import('../verify/default-verify-dependencies.js'),
        import('./connect-docker.js'),
      ]);
      const docker = await connectDocker();
      // Ctrl-C stops the waiting; verify still deletes its probe pods before the command exits.
      const abort = new AbortController();
      let exitOnSignal = 130;
      const onSignal = (signal: NodeJS.Signals) => {
        exitOnSignal = signal === 'SIGTERM' ? 143 : 130;
        abort.abort(new Error('interrupted'));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let evidence: ClusterEvidence | undefined;
      try {
        const report = await verifyCluster(defaultVerifyDependencies(docker), {
          ...(name ? { cluster: name } : {}),
          ...(flags.expect ? { expect: flags.expect } : {}),
          probeTimeoutMs: probeSeconds * 1000,
          signal: abort.signal,
          ...(evidenceOut ? { onEvidence: (e: ClusterEvidence) => (evidence = e) } : {}),
        });
        if (evidenceOut && evidence) {
          const recordedWith = `lab ${process.argv.slice(2).join(' ')}`;
          writePrivateFile(evidenceOut, `${JSON.stringify(redactJson({ recordedWith, ...evidence }), null, 2)}\n`);
        }
        const rendered =
          flags.format === 'json'
            ? renderVerifyJson(report)
            : flags.format === 'junit'
              ? renderVerifyJunit(report)
              : renderVerifyText(report, { allEvidence: flags.verbose === true });
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
        if (!abort.signal.aborted) throw error;
        process.stderr.write('verify interrupted; its probe pods were removed\n');
        process.exitCode = exitOnSignal;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
