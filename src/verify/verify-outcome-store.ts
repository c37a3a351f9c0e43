import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readUserFile } from '../common/read-user-file.js';
import { schemaHint, validateWithSchema } from '../common/validate-with-schema.js';
import { makePrivateDirectory, replacePrivateFile } from '../common/write-private-file.js';
import type { VerifyOutcome } from './verify-outcome.js';

const HINT = 'it is rewritten by the next `lab verify` of the lab';

/** The last verify outcome of each kindlab lab, one file per lab under `$KINDLAB_HOME/verify/`. */
export class VerifyOutcomeStore {
  constructor(private readonly dir: string) {}

  static inHome(home: string): VerifyOutcomeStore {
    return new VerifyOutcomeStore(join(home, 'verify'));
  }

  file(lab: string): string {
    return join(this.dir, `${lab}.json`);
  }

  /** Written aside and renamed: a reader (the index) never sees half a file. Throws on a write failure. */
  save(outcome: VerifyOutcome): void {
    makePrivateDirectory(this.dir);
    replacePrivateFile(this.file(outcome.lab), `${JSON.stringify(outcome, null, 2)}\n`);
  }

  /** The lab's last outcome; undefined when it was never verified. An unreadable file or one that breaks the schema is a UsageError naming it. */
  load(lab: string): VerifyOutcome | undefined {
    const path = this.file(lab);
    if (!existsSync(path)) return undefined;
    const data = readUserFile(path, 'verify outcome', 'json', schemaHint('verify-outcome', HINT));
    validateWithSchema(data, 'verify-outcome', path, HINT);
    return data as VerifyOutcome;
  }

  /**
   * `lab down`: removes the outcome of exactly this lab (matched by its `lab up` time, as the index
   * matches it), never one kept for another lab of the same name. A file it cannot read stays.
   */
  removeOutcomeOf(lab: { name: string; createdAt: string }): void {
    const path = this.file(lab.name);
    let kept: Partial<VerifyOutcome>;
    try {
      kept = JSON.parse(readFileSync(path, 'utf8')) as Partial<VerifyOutcome>;
    } catch {
      return;
    }
    if (kept.labCreatedAt === lab.createdAt) rmSync(path, { force: true });
  }
}
