import type { Command } from 'commander';
import { addOutputOption } from './add-output-option.js';

export function registerVersionCommand(command: Command): void {
  const version = command;
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
