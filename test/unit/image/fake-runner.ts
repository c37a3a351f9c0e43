import { CommandError, type CommandResult, type CommandRunner, type RunOptions } from '../../../src/common/command-runner.js';

export interface RecordedCall {
  command: string;
  args: readonly string[];
  options: RunOptions;
}

/**
 * Records argv and answers from a script; like the real runner it throws on a non-zero exit
 * unless the caller allowed failure.
 */
export class FakeRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly answer: (call: RecordedCall) => Partial<CommandResult> | undefined = () => undefined) {}

  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const call = { command, args, options };
    this.calls.push(call);
    const result: CommandResult = { command, args, exitCode: 0, stdout: '', stderr: '', ...(this.answer(call) ?? {}) };
    if (result.exitCode !== 0 && !options.allowFailure) throw new CommandError(command, args, result);
    return result;
  }

  /** The recorded command lines, `docker image inspect` probes left out, for compact assertions. */
  lines(filter: (call: RecordedCall) => boolean = () => true): string[] {
    return this.calls.filter(filter).map((c) => [c.command, ...c.args].join(' '));
  }
}
