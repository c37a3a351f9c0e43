import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { KindlabError } from './kindlab-error.js';
import { currentRunOwner, localProcessTable, parseRunOwner, processState, type ProcessState, type ProcessTable } from './run-owner.js';

export interface LockFile {
  path: string;
  /** Removes the file only while it is still the one this process wrote. */
  release(): void;
}

/** What a lock file holds; `extra` fields (a build's run id) are kept as written. */
export interface LockContent {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells a reused pid from the holder. */
  pidStart?: string;
  /** RUN_OWNER format (src/common/run-owner.ts): adds host and boot. */
  owner?: string;
  startedAt: string;
  [extra: string]: unknown;
}

/** Why the lock is not ours: its holder runs (verified or not), or its file is not complete yet. */
export type LockBusy = { state: Exclude<ProcessState, 'gone'>; holder: LockContent } | { state: 'partial'; holder: Record<string, unknown> | undefined };

export interface LockFileOptions {
  /** Names the lock in errors of the file system ("lock", "the image build lock"). */
  what: string;
  /** Hint when the file cannot be created. */
  createHint?: string;
  /** Written into the file next to the owner. */
  extra?: Record<string, string>;
  /**
   * A file with no complete content younger than this is still being written, not stale; older, it
   * is taken over. Infinity: never taken over.
   */
  partialGraceMs: number;
  /** The error for a lock someone else holds. */
  busy(busy: LockBusy): KindlabError;
  processes?: ProcessTable;
}

/**
 * A lock file created with O_EXCL holding its owner's pid and process start time (and host and boot
 * where /proc tells them). A lock whose process is gone, or whose pid now belongs to another process
 * (start time differs), is stale and taken over by renaming it aside first, so two processes judging
 * the same stale lock cannot both win. Anything that cannot be proven stale is respected.
 */
export function acquireLockFile(path: string, options: LockFileOptions): LockFile {
  const table = options.processes ?? localProcessTable;
  const pidStart = table.startTicks(table.pid);
  const owner = currentRunOwner(table);
  const ours: LockContent = {
    ...options.extra,
    pid: table.pid,
    ...(pidStart ? { pidStart } : {}),
    ...(owner ? { owner } : {}),
    startedAt: new Date().toISOString(),
  };
  const text = `${JSON.stringify(ours)}\n`;
  const lock = { path, release: () => releaseIfOurs(path, text) };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, text, options)) return lock;
    const seen = readLock(path, options.what);
    if (!seen) continue; // released between our create and our read
    const holder = completeContent(seen.parsed);
    if (!holder) {
      if (Date.now() - seen.mtimeMs < options.partialGraceMs) throw options.busy({ state: 'partial', holder: seen.parsed });
    } else {
      const state = holderState(holder, table);
      const itIsUs = holder.pid === table.pid && holder.pidStart !== undefined && holder.pidStart === pidStart;
      if (state !== 'gone' && !itIsUs) throw options.busy({ state, holder });
    }
    takeOverStale(path, seen.ino, options.what);
  }
  throw new KindlabError(`failed to acquire ${options.what} ${path}: it kept changing hands`, { hint: 'retry', exitCode: 2 });
}

function holderState(holder: LockContent, table: ProcessTable): ProcessState {
  const owner = parseRunOwner(holder.owner);
  return processState({ ...owner, pid: holder.pid, startTicks: holder.pidStart ?? owner?.startTicks }, table);
}

/** The content when it names a process; undefined while it is being written (or is not a lock). */
function completeContent(parsed: Record<string, unknown> | undefined): LockContent | undefined {
  if (!parsed) return undefined;
  const owner = parseRunOwner(typeof parsed.owner === 'string' ? parsed.owner : undefined);
  // Locks of older kindlabs: lab locks without owner, build locks with only the owner.
  const pid = typeof parsed.pid === 'number' ? parsed.pid : owner?.pid;
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    ...parsed,
    pid,
    ...(typeof parsed.pidStart === 'string' ? { pidStart: parsed.pidStart } : {}),
    ...(owner ? { owner: parsed.owner as string } : {}),
    startedAt: String(parsed.startedAt ?? '?'),
  };
}

function tryCreate(path: string, text: string, options: LockFileOptions): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new KindlabError(`failed to create ${options.what} ${path}`, { cause: error, ...(options.createHint ? { hint: options.createHint } : {}) });
  }
}

interface SeenLock {
  text: string;
  parsed: Record<string, unknown> | undefined;
  ino: number;
  mtimeMs: number;
}

function readLock(path: string, what: string): SeenLock | undefined {
  try {
    // One open file for content and inode: a takeover compares the inode of what it judged.
    const fd = openSync(path, 'r');
    try {
      const stat = fstatSync(fd);
      const text = readFileSync(fd, 'utf8');
      return { text, parsed: parseObject(text), ino: stat.ino, mtimeMs: stat.mtimeMs };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KindlabError(`failed to read ${what} ${path}`, { cause: error });
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves the stale file aside (rename is atomic), then checks that what was moved is the file that was
 * judged: if another process replaced it in between, that fresh lock is put back (link fails rather
 * than overwrite if yet another process got there first) and the caller re-judges.
 */
function takeOverStale(path: string, judgedIno: number, what: string): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new KindlabError(`failed to take over stale ${what} ${path}`, { cause: error });
  }
  if (statSync(aside).ino !== judgedIno) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process holds the name now; the displaced holder's release will not remove it.
    }
  }
  rmSync(aside, { force: true });
}

function releaseIfOurs(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') !== text) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}
