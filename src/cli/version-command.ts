import type { Command } from 'commander';
import { addOutputOption } from './add-output-option.js';

export function registerVersionCommand(program: Command): void {
  const version = program.command('version').description('print the kindlab version, the kind found, and the node image with its Kubernetes version');
  addOutputOption(version, ['text', 'json']).action(async (flags: { output: string }) => {
      // Loaded here so every other command starts without them.
      const [{ ExecaCommandRunner }, { collectVersionInfo, formatVersionInfo }] = await Promise.all([
        import('../common/execa-command-runner.js'),
        import('../version/collect-version-info.js'),
      ]);
      const info = await collectVersionInfo(new ExecaCommandRunner());
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : formatVersionInfo(info));
    });
}
