import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './kindlab-error.js';
import { kindlabHome } from './paths.js';

/**
 * Locks, build outputs and installed tools live under KINDLAB_HOME; a home that cannot be written
 * is reported before any work. Missing directories are created one level at a time (a recursive
 * mkdir under /proc never returns on some Node versions).
 */
export function checkKindlabHome(home = kindlabHome()): string {
  const target = resolve(home);
  const missing: string[] = [];
  for (let dir = target; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) missing.unshift(dir);
  try {
    for (const dir of missing) mkdirSync(dir, { mode: 0o700 });
    if (!statSync(target).isDirectory()) throw Object.assign(new Error(`${target} is not a directory`), { code: 'ENOTDIR' });
    accessSync(target, constants.W_OK);
  } catch (cause) {
    throw new UsageError(`invalid KINDLAB_HOME ${JSON.stringify(home)}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, {
      cause,
      hint: 'point KINDLAB_HOME at a directory you may write to (default ~/.cache/kindlab)',
    });
  }
  return target;
}
