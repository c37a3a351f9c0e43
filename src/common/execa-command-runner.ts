import { execa } from 'execa';
import { CommandError, type CommandResult, type CommandRunner, type RunOptions } from './command-runner.js';
import { createDebugLogger } from './debug-logger.js';

const debug = createDebugLogger('exec');

export class ExecaCommandRunner implements CommandRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    debug(`$ ${command} ${args.join(' ')}`);
    const onLine = options.onLine;
    // One line transform for both streams: progress sees stdout and stderr as they come.
    const lines = onLine
      ? ([
          'pipe',
          function* (line: unknown) {
            onLine(String(line));
            yield line;
          },
        ] as const)
      : undefined;
    const subprocess = execa(command, args, {
      input: options.input,
      env: options.env,
      extendEnv: true,
      cwd: options.cwd,
      timeout: options.timeoutMs,
      reject: false,
      stripFinalNewline: false,
      cancelSignal: options.signal,
      stdin: options.input === undefined ? 'ignore' : 'pipe',
      ...(lines ? { stdout: lines, stderr: lines } : {}),
    });
    const done = await subprocess;
    const result: CommandResult = {
      command,
      args,
      exitCode: done.exitCode ?? (done.failed ? -1 : 0),
      stdout: String(done.stdout ?? ''),
      stderr: String(done.stderr ?? ''),
    };
    if (done.failed && done.exitCode === undefined) {
      // Not started (ENOENT), timed out or cancelled: there is no exit code to hand back.
      throw new CommandError(command, args, undefined, done);
    }
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw new CommandError(command, args, result, done);
    }
    return result;
  }
}
