import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { kindlabHome } from '../common/paths.js';

export interface LabLock {
  path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells a reused pid from the holder. */
  pidStart: string | undefined;
  startedAt: string;
}

export interface LockOptions {
  /** A lock file with no complete content younger than this is still being written, not stale. */
  partialGraceMs?: number;
}

/**
 * One `lab up`/`lab down` per lab name and KINDLAB_HOME at a time (the Docker-side claim in
 * lab-claim.ts covers other homes and users). The file is created with O_EXCL and holds the owner's
 * pid and process start time. A lock whose process is gone, or whose pid now belongs to a different
 * process (start time differs), is stale and taken over by renaming it aside first, so two
 * processes judging the same stale lock cannot both win. Only files inside `dir` are ever removed.
 */
export function acquireLabLock(lab: string, dir = join(kindlabHome(), 'locks'), options: LockOptions = {}): LabLock {
  // A lock path is built from the name only after the one lab-name check.
  parseLabName(lab);
  const grace = options.partialGraceMs ?? 10_000;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${lab}.lock`);
  const ours: LockContent = { pid: process.pid, pidStart: processStartTime(process.pid), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, ours)) return { path, release: () => releaseIfOurs(path, ours) };
    const seen = readLock(path);
    if (!seen) continue; // released between our create and our read
    if (!seen.content) {
      if (Date.now() - seen.mtimeMs < grace) {
        throw new KindlabError(`lab ${lab} is busy: its lock ${path} is being written by another kindlab process`, {
          hint: `retry in a few seconds; if it stays empty for more than ${grace / 1000} s it is taken over`,
          exitCode: 2,
        });
      }
    } else {
      const holder = seen.content;
      const state = holderState(holder);
      if (state !== 'gone' && !(holder.pid === process.pid && holder.pidStart === ours.pidStart)) {
        throw new KindlabError(`lab ${lab} is busy: another kindlab process (pid ${holder.pid}, since ${holder.startedAt}) is working on it`, {
          hint: state === 'verified' ? `wait for it to finish, or stop it with \`kill ${holder.pid}\`` : 'wait for it to finish',
          exitCode: 2,
        });
      }
    }
    takeOverStale(path, seen.ino);
  }
  throw new KindlabError(`failed to acquire lock ${path}: it kept changing hands`, { hint: 'retry', exitCode: 2 });
}

function tryCreate(path: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new KindlabError(`failed to create lock ${path}`, { cause: error });
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

interface SeenLock {
  content: LockContent | undefined;
  ino: number;
  mtimeMs: number;
}

function readLock(path: string): SeenLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KindlabError(`failed to read lock ${path}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    return { content: parseLock(readFileSync(fd, 'utf8')), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return { pid: parsed.pid, pidStart: typeof parsed.pidStart === 'string' ? parsed.pidStart : undefined, startedAt: String(parsed.startedAt ?? '?') };
  } catch {
    return undefined;
  }
}

/**
 * Moves the stale file aside (rename is atomic), then checks that what was moved is the file that was
 * judged: if another process replaced it in between, that fresh lock is put back (link fails rather
 * than overwrite if yet another process got there first) and the caller re-judges.
 */
function takeOverStale(path: string, judgedIno: number): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new KindlabError(`failed to take over stale lock ${path}`, { cause: error });
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

function releaseIfOurs(path: string, ours: LockContent): void {
  const seen = readLock(path);
  if (seen?.content?.pid === ours.pid && seen.content.pidStart === ours.pidStart) rmSync(path, { force: true });
}

/** verified: the pid runs and is the same process; running: the pid runs, identity unknown; gone. */
function holderState(holder: LockContent): 'verified' | 'running' | 'gone' {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  const start = processStartTime(holder.pid);
  if (start === undefined || holder.pidStart === undefined) return 'running';
  return start === holder.pidStart ? 'verified' : 'gone';
}

/** Field 22 (starttime) of /proc/<pid>/stat; the command name (field 2) may hold spaces and ')'. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return startTimeFromStat(stat);
}

export function startTimeFromStat(stat: string): string | undefined {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state), so field 22 is at index 19.
  const value = afterName[19];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}
