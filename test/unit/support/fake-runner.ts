import { CommandError, type CommandResult, type CommandRunner, type RunOptions } from '../../../src/common/command-runner.js';

export interface RecordedCall {
  command: string;
  args: readonly string[];
  options: RunOptions;
}

/** What a scripted command answers; 'enoent' is a program that is not installed. */
export type FakeAnswer = Partial<CommandResult> | 'enoent' | undefined;

/**
 * Records argv and options and answers from a script. Like the real runner it throws a
 * CommandError on a non-zero exit unless the caller allowed failure, so error paths are realistic.
 */
export class FakeRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly answer: (call: RecordedCall) => FakeAnswer = () => undefined) {}

  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const call = { command, args, options };
    this.calls.push(call);
    const answer = this.answer(call);
    if (answer === 'enoent') throw new CommandError(command, args, undefined, new Error(`spawn ${command} ENOENT`));
    const result: CommandResult = { command, args, exitCode: 0, stdout: '', stderr: '', ...(answer ?? {}) };
    if (result.exitCode !== 0 && !options.allowFailure) throw new CommandError(command, args, result);
    return result;
  }

  /** The recorded command lines, for compact assertions. */
  lines(filter: (call: RecordedCall) => boolean = () => true): string[] {
    return this.calls.filter(filter).map((c) => [c.command, ...c.args].join(' '));
  }
}
