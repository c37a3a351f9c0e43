import { UsageError } from './kindlab-error.js';

/** How many problems the one `error:` line shows; `problems` keeps them all. */
const SHOWN = 10;

/**
 * A user file (or one kindlab reads back) that breaks its schema or a rule the schema cannot state.
 * One line, as every CLI error: `<file>: /nodes/1/role must be one of control-plane, worker; ...`,
 * every problem with its JSON pointer so one edit fixes them all.
 */
export class InvalidFileError extends UsageError {
  readonly problems: string[];

  constructor(source: string, problems: string[], hint: string) {
    const shown = problems.slice(0, SHOWN);
    const more = problems.length > shown.length ? `; ... and ${problems.length - shown.length} more` : '';
    super(`${source}: ${shown.join('; ')}${more}`, { hint });
    this.name = 'InvalidFileError';
    this.problems = problems;
  }
}
