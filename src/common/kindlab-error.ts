/**
 * An error the CLI can show as one line plus a hint, with the exit code it maps to.
 * Domain code throws these; only src/cli turns them into process exit codes.
 */
export class KindlabError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, options: { cause?: unknown; hint?: string; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KindlabError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** Bad flags or input: exit code 2, nothing was created. */
export class UsageError extends KindlabError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = 'UsageError';
  }
}
