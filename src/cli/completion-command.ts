import { Argument, type Command } from './commander.js';
import { checkChoice } from './choice-option.js';
import { COMPLETION_SHELLS, type CompletionShell } from './render-completion.js';

export function registerCompletionCommand(command: Command): void {
  command
    .addArgument(
      new Argument('<shell>', COMPLETION_SHELLS.join(', '))
        .choices(COMPLETION_SHELLS)
        .argParser((value: string) => checkChoice('shell', value, COMPLETION_SHELLS)),
    )
    .action(async (shell: CompletionShell) => {
      // The whole tree, every command loaded: the script lists every flag and choice.
      const [{ buildProgram }, { renderCompletion }] = await Promise.all([import('./build-program.js'), import('./render-completion.js')]);
      process.stdout.write(renderCompletion(await buildProgram(), shell));
    });
}
