import { Argument, type Command } from 'commander';
import { checkChoice } from './choice-option.js';
import { COMPLETION_SHELLS, renderCompletion, type CompletionShell } from './render-completion.js';

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(lab completion bash), or add it to your shell profile')
    .addArgument(
      new Argument('<shell>', COMPLETION_SHELLS.join(', ')).choices(COMPLETION_SHELLS).argParser((value: string) => checkChoice('shell', value, COMPLETION_SHELLS)),
    )
    .action((shell: CompletionShell) => {
      process.stdout.write(renderCompletion(program, shell));
    });
}
