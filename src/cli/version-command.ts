import type { Command } from 'commander';
import { UsageError } from '../common/kindlab-error.js';

const OUTPUTS = ['text', 'json'] as const;

export function registerVersionCommand(program: Command): void {
  program
    .command('version')
    .description('print the kindlab version, the kind found, and the node image with its Kubernetes version')
    .option('-o, --output <format>', OUTPUTS.join(' or '), 'text')
    .action(async (flags: { output: string }) => {
      if (!(OUTPUTS as readonly string[]).includes(flags.output)) {
        throw new UsageError(`invalid --output ${JSON.stringify(flags.output)}`, { hint: `use one of ${OUTPUTS.join(', ')}` });
      }
      // Loaded here so every other command starts without them.
      const [{ ExecaCommandRunner }, { collectVersionInfo, formatVersionInfo }] = await Promise.all([
        import('../common/execa-command-runner.js'),
        import('../version/collect-version-info.js'),
      ]);
      const info = await collectVersionInfo(new ExecaCommandRunner());
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : formatVersionInfo(info));
    });
}
