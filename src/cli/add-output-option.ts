import { Option, type Command } from './commander.js';
import { checkChoice } from './choice-option.js';

/**
 * `-o, --output <format>` on every command that prints, value in `flags.output`. The spellings from
 * before it stay working but hidden: `--json` means `-o json`, and `--format` (report, verify, tour)
 * is the same option under its old name.
 */
export function addOutputOption(command: Command, formats: readonly string[], { formatAlias = false } = {}): Command {
  const output = new Option('-o, --output <format>', 'output format')
    .choices(formats)
    .argParser((value: string) => checkChoice('--output', value, formats))
    .default(formats[0]);
  command.addOption(output);
  if (formats.includes('json')) command.addOption(new Option('--json', 'same as -o json').hideHelp().implies({ output: 'json' }));
  if (formatAlias) {
    const format = new Option('--format <format>', 'same as -o').hideHelp().argParser((value: string) => checkChoice('--format', value, formats));
    // Stored under `output`, so the command reads one value whichever spelling was used.
    format.attributeName = () => 'output';
    command.addOption(format);
  }
  return command;
}
