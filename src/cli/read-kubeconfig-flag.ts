import { readFileSync } from 'node:fs';
import { UsageError } from '../common/kindlab-error.js';

/** The file given to --kubeconfig; a missing one is a usage error, not a stack trace. */
export function readKubeconfigFlag(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new UsageError(`invalid --kubeconfig ${JSON.stringify(path)}: failed to read it: ${reason}`, { cause, hint: 'pass an existing kubeconfig file to --kubeconfig' });
  }
}
