import { KindlabError } from './kindlab-error.js';
import { formatCommand } from './shell-quote.js';
import { indentLines } from './indent-lines.js';

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  /** Resolve with the non-zero exit code instead of throwing. */
  allowFailure?: boolean;
  /** Called with each line of stdout and stderr as it arrives (long builds). */
  onLine?: (line: string) => void;
  /** Aborting kills the subprocess (Ctrl-C during `lab up`). */
  signal?: AbortSignal;
}

export interface CommandResult {
  command: string;
  args: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every subprocess goes through this, so unit tests can check argv and stdin. */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export class CommandError extends KindlabError {
  readonly result: CommandResult | undefined;

  constructor(command: string, args: readonly string[], result: CommandResult | undefined, cause?: unknown) {
    const line = formatCommand(command, args);
    const detail = result ? lastLines(result.stderr || result.stdout, 15) : String((cause as Error)?.message ?? cause);
    super(`failed to run ${command} (exit ${result?.exitCode ?? 'none'}):\n  $ ${line}\n${indentLines(detail, 2)}`, { cause });
    this.name = 'CommandError';
    this.result = result;
  }
}

function lastLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}
