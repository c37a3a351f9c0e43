import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../common/kindlab-error.js';
import type { ClusterEvidence } from '../verify/cluster-evidence.js';
import { defaultVerifyDependencies } from '../verify/default-verify-dependencies.js';
import { BUILT_IN_EXPECTATIONS } from '../verify/expectation.js';
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
        throw new UsageError(`unknown --format ${flags.format}`, { hint: `use one of ${FORMATS.join(', ')}` });
      }
      const probeSeconds = Number(flags.probeTimeout);
      if (!Number.isFinite(probeSeconds) || probeSeconds <= 0) {
        throw new UsageError(`--probe-timeout must be a positive number of seconds, got ${flags.probeTimeout}`);
      }
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
        const report = await verifyCluster(defaultVerifyDependencies(), {
          ...(name ? { cluster: name } : {}),
          ...(flags.expect ? { expect: flags.expect } : {}),
          probeTimeoutMs: probeSeconds * 1000,
          signal: abort.signal,
          ...(flags.evidenceOut ? { onEvidence: (e: ClusterEvidence) => (evidence = e) } : {}),
        });
        if (flags.evidenceOut && evidence) {
          const recordedWith = `lab ${process.argv.slice(2).join(' ')}`;
          await writeFile(flags.evidenceOut, `${JSON.stringify({ recordedWith, ...evidence }, null, 2)}\n`);
        }
        const rendered =
          flags.format === 'json'
            ? renderVerifyJson(report)
            : flags.format === 'junit'
              ? renderVerifyJunit(report)
              : renderVerifyText(report, { allEvidence: flags.verbose === true });
        if (flags.out) {
          await writeFile(flags.out, rendered);
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
