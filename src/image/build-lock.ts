import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { acquireLockFile, type LockFile } from '../common/lock-file.js';
import { localProcessTable, type ProcessTable } from '../common/run-owner.js';

export type BuildLock = LockFile;

/**
 * One `lab image build` per KINDLAB_HOME: builds share its work directories, Go outputs and apt
 * cache. A second build refuses rather than waits (a build takes half an hour, and a queued
 * build would only find everything up to date). A lock whose owner is provably gone is taken over,
 * anything else is respected, a half-written one too (src/common/lock-file.ts).
 */
export function acquireBuildLock(path: string, runId: string, processes: ProcessTable = localProcessTable): BuildLock {
  mkdirSync(dirname(path), { recursive: true });
  return acquireLockFile(path, {
    what: 'the image build lock',
    createHint: 'is KINDLAB_HOME writable?',
    extra: { runId },
    partialGraceMs: Number.POSITIVE_INFINITY,
    processes,
    busy: ({ holder }) => {
      const pid = typeof holder?.pid === 'number' ? holder.pid : undefined;
      const who = holder ? `build ${String(holder.runId ?? '?')}${pid ? ` (pid ${pid})` : ''}, started ${String(holder.startedAt ?? '?')}` : 'another build';
      return new KindlabError(`another lab image build is running in this KINDLAB_HOME: ${who}`, {
        hint: `wait for it to finish (\`lab image list\` shows what it built), or use another KINDLAB_HOME; the lock is ${path}`,
      });
    },
  });
}
