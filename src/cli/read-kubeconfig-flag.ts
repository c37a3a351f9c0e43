import { readUserText } from '../common/read-user-file.js';

/** The file given to --kubeconfig; a missing one is a usage error, not a stack trace. */
export function readKubeconfigFlag(path: string): string {
  return readUserText(path, '--kubeconfig file', 'pass an existing kubeconfig file to --kubeconfig');
}
