import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './kindlab-error.js';

/**
 * Checked before any work starts, so a typo in --out costs nothing: the parent directory exists and
 * is writable, and the target (if it exists) is a writable file, not a directory. `field` names the
 * flag in the error (e.g. "--out").
 */
export function checkOutputFile(path: string, field: string): string {
  const target = resolve(path);
  const existing = statOrUndefined(target, field);
  if (existing?.isDirectory()) {
    throw new UsageError(`invalid ${field} ${JSON.stringify(path)}: it is a directory`, { hint: `give a file path, e.g. ${path.replace(/\/+$/, '')}/out.txt` });
  }
  if (existing) requireWritable(target, field, path, 'the file is not writable');
  else checkParentDirectory(target, field, path);
  return target;
}

/** A directory kindlab will fill (--raw-dir): it may not exist yet, but then its parent must. */
export function checkOutputDirectory(path: string, field: string): string {
  const target = resolve(path);
  const existing = statOrUndefined(target, field);
  if (existing && !existing.isDirectory()) {
    throw new UsageError(`invalid ${field} ${JSON.stringify(path)}: it exists and is not a directory`, { hint: 'give a directory path' });
  }
  if (existing) requireWritable(target, field, path, 'the directory is not writable');
  else checkParentDirectory(target, field, path);
  return target;
}

function checkParentDirectory(target: string, field: string, shown: string): void {
  const parent = dirname(target);
  const stat = statOrUndefined(parent, field);
  if (!stat) {
    throw new UsageError(`invalid ${field} ${JSON.stringify(shown)}: directory ${parent} does not exist`, { hint: `create it first: mkdir -p ${parent}` });
  }
  if (!stat.isDirectory()) throw new UsageError(`invalid ${field} ${JSON.stringify(shown)}: ${parent} is not a directory`);
  requireWritable(parent, field, shown, `directory ${parent} is not writable`);
}

function requireWritable(path: string, field: string, shown: string, problem: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (cause) {
    throw new UsageError(`invalid ${field} ${JSON.stringify(shown)}: ${problem}`, { cause, hint: 'choose a path you may write to' });
  }
}

function statOrUndefined(path: string, field: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // ENOTDIR: a path component is a file; EACCES: a component cannot be searched.
    throw new UsageError(`invalid ${field} ${JSON.stringify(path)}: ${code}`, { cause: error, hint: 'check each directory on the path' });
  }
}

/** An optional output-file flag: checked when given. */
export function checkOptionalOutputFile(path: string | undefined, field: string): string | undefined {
  return path === undefined ? undefined : checkOutputFile(path, field);
}
