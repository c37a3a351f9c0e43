import { randomBytes } from 'node:crypto';

/** A short random id for one `lab up` run: 8 hex characters, enough to tell concurrent runs apart. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}
