import { Command, Option } from './commander.js';
import { COMMAND_TABLE } from './command-table.js';

/**
 * The `lab` command tree: what runs, what `--help` shows and what `lab completion` lists. With `args`,
 * only the command they name is loaded in full; the others are listed by name, arguments and
 * description (for `lab --help` and commander's unknown-command check), so startup loads one command.
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command('lab')
    .description('Provision real Kubernetes clusters with kind and show how they work')
    .option('--debug', 'print diagnostics (and stack traces of failures) to stderr')
    .option('-V, --version', 'print the kindlab, kind and node image versions (same as `lab version`)')
    .option('--docker-host <url>', 'the Docker daemon for this command, e.g. tcp://10.0.0.5:2375 (default: DOCKER_HOST, else the docker CLI context)')
    .exitOverride();
  program.hook('preAction', async (_program, action) => {
    const flags = action.optsWithGlobals<{ debug?: boolean; dockerHost?: string }>();
    if (flags.debug) process.env.KINDLAB_DEBUG ??= '1';
    if (flags.dockerHost) {
      // Loaded only when given (startup time); every Docker call and kind then resolve this endpoint (src/docker).
      const { checkDockerHostUrl, DOCKER_HOST_FLAG_ENV } = await import('../docker/resolve-docker-endpoint.js');
      process.env[DOCKER_HOST_FLAG_ENV] = checkDockerHostUrl(flags.dockerHost);
      // What reads DOCKER_HOST itself (lab host prepare's dockerd --host) sees the same daemon.
      process.env.DOCKER_HOST = flags.dockerHost;
    }
  });
  const loadAll = args === undefined;
  const wanted = args === undefined ? undefined : namedCommand(args);
  for (const entry of COMMAND_TABLE) {
    const command = program.command(entry.name).description(entry.description);
    if (loadAll || wanted === entry.name) {
      (await entry.load())(command);
    } else {
      // Listed only: the same help line as the loaded command, never run.
      if (entry.arguments) command.arguments(entry.arguments);
      if (entry.hasOptions) command.addOption(new Option('--listed-only').hideHelp());
    }
  }
  pointUsageErrorsAtHelp(program, 'lab');
  return program;
}

/** The command `lab <args>` runs: the first word that is not a flag or a global flag's value (`lab help up` runs up's help). */
function namedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--docker-host');
  return words[0] === 'help' ? words[1] : words[0];
}

/** commander prints `error: ...` itself; instead of the whole help text it gets one hint line. */
function pointUsageErrorsAtHelp(command: Command, path: string): void {
  command.showHelpAfterError(`hint: see \`${path} --help\``);
  for (const sub of command.commands) pointUsageErrorsAtHelp(sub, `${path} ${sub.name()}`);
}
