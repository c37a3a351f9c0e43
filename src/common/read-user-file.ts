import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { UsageError } from './kindlab-error.js';

export type UserFileFormat = 'yaml' | 'json';

/**
 * The one loader for files a user writes or kindlab reads back (lab.yaml, expectations, tour labs,
 * snapshots for `--from`): read and parse, every failure a UsageError naming the file. What the data
 * must look like is the job of its schema (src/common/validate-with-schema.ts).
 * `what` names the kind of file in messages: "failed to read lab file x.yaml: ENOENT".
 */
export function readUserFile(path: string, what: string, format: UserFileFormat, hint?: string): unknown {
  return parseUserText(readUserText(path, what, hint), path, format, hint);
}

/** The text of a user file, or a UsageError "failed to read <what> <path>: ENOENT". */
export function readUserText(path: string, what: string, hint?: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new UsageError(`failed to read ${what} ${path}: ${reason}`, { cause, ...(hint ? { hint } : {}) });
  }
}

/** Parses text already in memory; `source` names it in the message (a path, "built-in expectation ha"). */
export function parseUserText(text: string, source: string, format: UserFileFormat, hint?: string): unknown {
  try {
    return format === 'json' ? JSON.parse(text) : load(text);
  } catch (cause) {
    // js-yaml adds a snippet of the file after the first line; JSON.parse quotes the text inline.
    const message = (cause as Error).message;
    const reason = format === 'json' ? message.replace(/\s+/g, ' ') : message.split('\n')[0];
    throw new UsageError(`${source}: not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${reason}`, {
      cause,
      ...(hint ? { hint } : {}),
    });
  }
}
