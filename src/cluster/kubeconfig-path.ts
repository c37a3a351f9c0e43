import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/**
 * The file kind (and kubectl) merge a new context into, following kind v0.30.0's pathForMerge
 * (pkg/cluster/internal/kubeconfig/internal/kubeconfig/paths.go): --kubeconfig; else of $KUBECONFIG
 * the only entry, the first existing file, or the last entry; else ~/.kube/config. kindlab resolves
 * it once and passes it to kind explicitly, so `lab down` later edits the very same file.
 */
export function kubeconfigPathForMerge(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  const paths = [...new Set((env.KUBECONFIG ?? '').split(delimiter).filter(Boolean))];
  if (paths.length === 1) return resolve(paths[0] as string);
  if (paths.length > 1) {
    const existing = paths.find((p) => existsSync(p) && !statSync(p).isDirectory());
    return resolve(existing ?? (paths[paths.length - 1] as string));
  }
  return join(env.HOME ?? homedir(), '.kube', 'config');
}

/** kind names the context of cluster <name> `kind-<name>` (kubeconfig.ContextForCluster). */
export function contextForLab(lab: string): string {
  return `kind-${lab}`;
}
