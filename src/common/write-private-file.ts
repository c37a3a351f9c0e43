import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Reports, snapshots, evidence and raw outputs can describe Secrets even after redaction (names,
 * sizes), so they are readable by their owner only: files 0600, directories 0700. chmod as well,
 * since `mode` applies only when the file is created.
 */
export function writePrivateFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function makePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** writePrivateFile written aside and renamed: a reader, or a second kindlab writing at once, never sees half a file. */
export function replacePrivateFile(path: string, content: string): void {
  const partial = `${path}.${process.pid}.tmp`;
  writePrivateFile(partial, content);
  renameSync(partial, path);
}
