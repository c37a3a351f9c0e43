import { Command } from 'commander';
import { registerCommands } from './register-commands.js';

/** The whole `lab` command tree: what runs, what `--help` shows and what `lab completion` lists. */
export function buildProgram(): Command {
  const program = new Command('lab')
    .description('Provision real Kubernetes clusters with kind and show how they work')
    .option('--debug', 'print diagnostics (and stack traces of failures) to stderr')
    .option('-V, --version', 'print the kindlab, kind and node image versions (same as `lab version`)')
    .exitOverride();
  program.hook('preAction', (_program, action) => {
    if (action.optsWithGlobals().debug) process.env.KINDLAB_DEBUG ??= '1';
  });
  registerCommands(program);
  pointUsageErrorsAtHelp(program, 'lab');
  return program;
}

/** commander prints `error: ...` itself; instead of the whole help text it gets one hint line. */
function pointUsageErrorsAtHelp(command: Command, path: string): void {
  command.showHelpAfterError(`hint: see \`${path} --help\``);
  for (const sub of command.commands) pointUsageErrorsAtHelp(sub, `${path} ${sub.name()}`);
}
