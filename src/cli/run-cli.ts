import type { Command } from 'commander';
import { buildProgram } from './build-program.js';

/**
 * Parses argv (without the node and script entries), runs the command and returns the exit code.
 * Every failure, whatever threw it, ends here as one `error:` line, a `hint:` line and a code.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  const debug = args.includes('--debug') || Boolean(process.env.KINDLAB_DEBUG);
  const argv = withVersionCommand(args);
  const program = await buildProgram(argv);
  try {
    process.exitCode = undefined;
    await program.parseAsync(argv, { from: 'user' });
    // Commands that finish with a verdict (verify: checks failed) set process.exitCode; the caller sets it again.
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    // Loaded here, not at start: a command that succeeds (`lab version`) does not need it. `lab --help`
    // does (commander ends it with an exception) and loads the same module either way.
    const { describeError } = await import('./describe-error.js');
    const { text, exitCode } = describeError(error, debug, `see \`${commandPath(program, args)} --help\``);
    process.stderr.write(text);
    return exitCode;
  }
}

/** `lab --version [--output json]` is `lab version [--output json]`: one implementation, one output. */
function withVersionCommand(args: readonly string[]): string[] {
  const first = args.findIndex((arg) => arg === '--version' || arg === '-V');
  const command = args.findIndex((arg) => !arg.startsWith('-'));
  if (first === -1 || (command !== -1 && command < first)) return [...args];
  return ['version', ...args.filter((_arg, i) => i !== first)];
}

/** `lab up`, `lab image build`: the deepest command named in args, for the hint of a usage error. */
function commandPath(program: Command, args: readonly string[]): string {
  let command = program;
  const path = ['lab'];
  for (const arg of args) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) continue;
    command = sub;
    path.push(sub.name());
  }
  return path.join(' ');
}
