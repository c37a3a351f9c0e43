import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { currentRunOwner, isRunOwnerGone, localProcessTable, parseRunOwner, type ProcessTable } from '../common/run-owner.js';

export interface BuildLock {
  release(): void;
}

interface LockContent {
  runId: string;
  /** RUN_OWNER format (src/common/run-owner.ts); absent where /proc cannot identify the process. */
  owner?: string;
  startedAt: string;
}

/**
 * One `lab image build` per KINDLAB_HOME: builds share its work directories, Go outputs and apt
 * cache. A second build refuses rather than waits (a build takes half an hour, and a queued
 * build would only find everything up to date). The file is created with O_EXCL; a lock whose
 * owner is provably gone (src/common/run-owner.ts) is taken over, anything else is respected.
 */
export function acquireBuildLock(path: string, runId: string, processes: ProcessTable = localProcessTable): BuildLock {
  mkdirSync(dirname(path), { recursive: true });
  const owner = currentRunOwner(processes);
  const content: LockContent = { runId, ...(owner ? { owner } : {}), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(content)}\n`;
  const release = () => {
    if (readLock(path)?.text === text) rmSync(path, { force: true });
  };
  if (tryCreate(path, text)) return { release };
  const holder = readLock(path);
  // Released between our create and read: try once more.
  if (!holder && tryCreate(path, text)) return { release };
  if (holder && isRunOwnerGone(holder.content?.owner, processes) && takeOver(path, holder.text, runId) && tryCreate(path, text)) {
    return { release };
  }
  throw busy(path, holder?.content);
}

function tryCreate(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new KindlabError(`failed to create the image build lock ${path}`, { cause: error, hint: 'is KINDLAB_HOME writable?' });
  }
}

/**
 * Moves the stale lock aside (rename is atomic) and checks that what moved is the stale lock read
 * before: if another build took it over and created its own lock in between, that one goes back.
 */
function takeOver(path: string, staleText: string, runId: string): boolean {
  const aside = `${path}.stale-${runId}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved === staleText) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, path);
  } finally {
    rmSync(aside, { force: true });
  }
  return false;
}

function readLock(path: string): { text: string; content: Partial<LockContent> | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return { text, content: JSON.parse(text) as Partial<LockContent> };
  } catch {
    // Still being written, or not ours: never taken for stale.
    return { text, content: undefined };
  }
}

function busy(path: string, holder: Partial<LockContent> | undefined): KindlabError {
  const pid = parseRunOwner(holder?.owner)?.pid;
  const who = holder ? `build ${holder.runId ?? '?'}${pid ? ` (pid ${pid})` : ''}, started ${holder.startedAt ?? '?'}` : 'another build';
  return new KindlabError(`another lab image build is running in this KINDLAB_HOME: ${who}`, {
    hint: `wait for it to finish (\`lab image list\` shows what it built), or use another KINDLAB_HOME; the lock is ${path}`,
  });
}
