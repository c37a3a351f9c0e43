import { readFileSync } from 'node:fs';
import { UsageError } from '../common/kindlab-error.js';

/** The file given to --kubeconfig; a missing one is a usage error, not a stack trace. */
export function readKubeconfigFlag(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`failed to read kubeconfig ${path}`, { cause, hint: 'pass an existing file to --kubeconfig' });
  }
}
