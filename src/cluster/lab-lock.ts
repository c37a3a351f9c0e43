import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { acquireLockFile, type LockFile } from '../common/lock-file.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { kindlabHome } from '../common/paths.js';
import type { ProcessTable } from '../common/run-owner.js';

export type LabLock = LockFile;

export interface LockOptions {
  /** A lock file with no complete content younger than this is still being written, not stale. */
  partialGraceMs?: number;
  /** Tells whether the holder still runs (tests pass their own). */
  processes?: ProcessTable;
}

/**
 * One `lab up`/`lab down` per lab name and KINDLAB_HOME at a time (the Docker-side claim in
 * lab-claim.ts covers other homes and users). A second one refuses rather than waits; a lock whose
 * process is gone, or whose pid was reused, is taken over (src/common/lock-file.ts). Only files
 * inside `dir` are ever removed.
 */
export function acquireLabLock(lab: string, dir = join(kindlabHome(), 'locks'), options: LockOptions = {}): LabLock {
  // A lock path is built from the name only after the one lab-name check.
  parseLabName(lab);
  const grace = options.partialGraceMs ?? 10_000;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${lab}.lock`);
  return acquireLockFile(path, {
    what: 'lock',
    partialGraceMs: grace,
    ...(options.processes ? { processes: options.processes } : {}),
    busy: (busy) => {
      if (busy.state === 'partial') {
        return new KindlabError(`lab ${lab} is busy: its lock ${path} is being written by another kindlab process`, {
          hint: `retry in a few seconds; if it stays empty for more than ${grace / 1000} s it is taken over`,
          exitCode: 2,
        });
      }
      const { holder } = busy;
      return new KindlabError(`lab ${lab} is busy: another kindlab process (pid ${holder.pid}, since ${holder.startedAt}) is working on it`, {
        hint: busy.state === 'verified' ? `wait for it to finish, or stop it with \`kill ${holder.pid}\`` : 'wait for it to finish',
        exitCode: 2,
      });
    },
  });
}
