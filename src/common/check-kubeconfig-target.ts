import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkOutputFile } from './check-output-path.js';
import { KindlabError } from './kindlab-error.js';

/**
 * `lab up` merges the new context into this file only after kind has built every node, so it is
 * checked first: a writable file (or a writable place to create it; kind creates missing
 * directories), and no `<file>.lock`, the lock client-go (kubectl) and kind take while writing it.
 * A lock left by a killed kubectl would otherwise fail the run minutes later.
 */
export function checkKubeconfigTarget(path: string): void {
  let dir = path;
  while (!existsSync(dirname(dir)) && dirname(dir) !== dir) dir = dirname(dir);
  // The deepest missing directory stands in for the file: its parent must be writable.
  checkOutputFile(existsSync(path) ? path : dir, 'kubeconfig target');
  const lock = `${path}.lock`;
  if (existsSync(lock)) {
    throw new KindlabError(`kubeconfig ${path} is locked: ${lock} exists`, {
      hint: `another kubectl or kind is writing it; if none is running, the lock is stale: rm ${lock}`,
    });
  }
}
