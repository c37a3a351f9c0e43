import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';

export interface LabLock {
  path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  startedAt: string;
}

/**
 * One `lab up`/`lab down` per lab name at a time. The lock file holds the owner's pid; a lock whose
 * pid no longer runs was left by a killed process and is taken over.
 */
export function acquireLabLock(lab: string, dir = join(kindlabHome(), 'locks')): LabLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${lab}.lock`);
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(content), { flag: 'wx' });
      return { path, release: () => releaseIfOurs(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new KindlabError(`failed to create lock ${path}`, { cause: error });
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isRunning(holder.pid)) {
        throw new KindlabError(`lab ${lab} is busy: another kindlab process (pid ${holder.pid}, since ${holder.startedAt}) is working on it`, {
          hint: `wait for it to finish, or stop it with \`kill ${holder.pid}\``,
          exitCode: 2,
        });
      }
      // Stale: the holder died without releasing. Remove and retry once.
      rmSync(path, { force: true });
    }
  }
  throw new KindlabError(`failed to acquire lock ${path}`);
}

function readHolder(path: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, startedAt: String(parsed.startedAt ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOurs(path: string): void {
  if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
