import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

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
