import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { kindlabHome } from '../common/paths.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import type { KindCli } from './kind-cli.js';

/**
 * One kubeconfig per lab, for handing to its participant (`kubectl --kubeconfig FILE`): only that
 * lab's cluster, user and context, besides the context kind merges into the shared kubeconfig. It
 * holds the cluster's admin credentials, so it is written 0600 in a 0700 directory of kindlab's own.
 */
export function labKubeconfigDir(): string {
  return join(kindlabHome(), 'kubeconfigs');
}

export function labKubeconfigFile(lab: string): string {
  return join(labKubeconfigDir(), `${lab}.kubeconfig`);
}

/** Writes the lab's own kubeconfig (`kind get kubeconfig`) and returns its path. */
export async function writeLabKubeconfigFile(kind: Pick<KindCli, 'getKubeconfig'>, lab: string): Promise<string> {
  const path = labKubeconfigFile(lab);
  const text = await kind.getKubeconfig(lab);
  makePrivateDirectory(labKubeconfigDir());
  writePrivateFile(path, text);
  return path;
}

/** Removes the lab's own kubeconfig; no error when there is none. */
export function removeLabKubeconfigFile(lab: string): void {
  rmSync(labKubeconfigFile(lab), { force: true });
}
