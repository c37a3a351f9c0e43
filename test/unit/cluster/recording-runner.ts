import type { CommandResult, CommandRunner, RunOptions } from '../../../src/common/command-runner.js';

export interface RecordedCall {
  command: string;
  args: readonly string[];
  options: RunOptions;
}

/** A CommandRunner that records argv and stdin and answers from a script, so tests see exactly what kindlab runs. */
export class RecordingRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly answer: (call: RecordedCall) => Partial<CommandResult> | undefined = () => undefined) {}

  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const call = { command, args, options };
    this.calls.push(call);
    const partial = this.answer(call) ?? {};
    return { command, args, exitCode: 0, stdout: '', stderr: '', ...partial };
  }
}
