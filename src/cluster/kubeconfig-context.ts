import { chmodSync, closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dump, load } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { doneWith, waitUntil, WaitTimeoutError } from '../common/wait-until.js';

interface Named {
  name?: string;
  context?: { cluster?: string; user?: string };
  cluster?: { server?: string };
}

interface KubeconfigDoc {
  clusters?: Named[];
  contexts?: Named[];
  users?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

/**
 * What identifies the context kind writes for a lab: the API server URL of its cluster entry (kind
 * picks a fresh host port per cluster). Undefined when the file or the context does not exist.
 */
export function contextFingerprint(path: string, context: string): string | undefined {
  const doc = readDoc(path);
  const entry = doc?.contexts?.find((c) => c.name === context);
  if (!entry) return undefined;
  const server = doc?.clusters?.find((c) => c.name === entry.context?.cluster)?.cluster?.server;
  return `${entry.context?.cluster ?? ''} ${server ?? ''}`;
}

/**
 * Removes one context with the cluster and user entries it names, as `kind delete cluster` does,
 * but without touching any container. Holds `<path>.lock` like client-go and kind, and replaces the
 * file atomically (mode 0600: it holds admin credentials). Returns false when there was nothing to remove.
 */
export async function removeKubeconfigContext(path: string, context: string): Promise<boolean> {
  const lock = await lockKubeconfig(path);
  try {
    const doc = readDoc(path);
    const entry = doc?.contexts?.find((c) => c.name === context);
    if (!doc || !entry) return false;
    const cluster = entry.context?.cluster;
    const user = entry.context?.user;
    doc.contexts = doc.contexts?.filter((c) => c.name !== context);
    // Another context may share the cluster or user entry: keep those.
    if (cluster && !doc.contexts?.some((c) => c.context?.cluster === cluster)) doc.clusters = doc.clusters?.filter((c) => c.name !== cluster);
    if (user && !doc.contexts?.some((c) => c.context?.user === user)) doc.users = doc.users?.filter((u) => u.name !== user);
    if (doc['current-context'] === context) doc['current-context'] = '';
    const tmp = `${path}.kindlab-${process.pid}.tmp`;
    writeFileSync(tmp, dump(doc, { lineWidth: -1 }), { mode: 0o600 });
    renameSync(tmp, path);
    return true;
  } finally {
    lock();
  }
}

/**
 * Merges a one-context kubeconfig (as `kind get kubeconfig` prints it) into the file at path, as kind
 * does when it creates a cluster: its cluster, user and context replace entries of the same names,
 * everything else stays, and the context becomes current. Same lock, atomic replace and mode as
 * removeKubeconfigContext. Used where kind ran elsewhere (a hosted lab's pod) and could not merge itself.
 */
export async function mergeKubeconfigContext(path: string, kubeconfigText: string): Promise<void> {
  const incoming = load(kubeconfigText) as KubeconfigDoc;
  const context = incoming.contexts?.[0]?.name;
  if (incoming.contexts?.length !== 1 || !context)
    throw new KindlabError('failed to merge the lab kubeconfig: expected exactly one context (as kind writes it)');
  const lock = await lockKubeconfig(path);
  try {
    const doc: KubeconfigDoc = readDoc(path) ?? { apiVersion: 'v1', kind: 'Config', preferences: {} };
    const replace = (mine: Named[] | undefined, theirs: Named[] | undefined) => [
      ...(mine ?? []).filter((entry) => !(theirs ?? []).some((t) => t.name === entry.name)),
      ...(theirs ?? []),
    ];
    doc.clusters = replace(doc.clusters, incoming.clusters);
    doc.users = replace(doc.users, incoming.users);
    doc.contexts = replace(doc.contexts, incoming.contexts);
    doc['current-context'] = context;
    const tmp = `${path}.kindlab-${process.pid}.tmp`;
    writeFileSync(tmp, dump(doc, { lineWidth: -1 }), { mode: 0o600 });
    renameSync(tmp, path);
  } finally {
    lock();
  }
}

/** What checkKubeconfigContext found: the file's current context, and its mode if it was not 0600. */
export interface KubeconfigCheck {
  currentContext: string | undefined;
  fixedMode?: number;
}

/**
 * After kind wrote the lab's context: checks it is there and makes the file 0600 (kind keeps the
 * mode of an existing file, and it holds admin credentials). Under the lock, as other labs of a room
 * may be merging into the same file: client-go and kind rewrite it in place, so a read without the
 * lock can see half a file.
 */
export async function checkKubeconfigContext(path: string, context: string, signal: AbortSignal): Promise<KubeconfigCheck> {
  const lock = await lockKubeconfig(path, signal);
  try {
    const doc = readDoc(path);
    if (!doc?.contexts?.some((c) => c.name === context)) throw new KindlabError(`failed to find context ${context} in ${path} after kind create`);
    const mode = statSync(path).mode & 0o777;
    if (mode === 0o600) return { currentContext: doc['current-context'] };
    chmodSync(path, 0o600);
    return { currentContext: doc['current-context'], fixedMode: mode };
  } finally {
    lock();
  }
}

function readDoc(path: string): KubeconfigDoc | undefined {
  if (!existsSync(path) || statSync(path).isDirectory()) return undefined;
  try {
    return (load(readFileSync(path, 'utf8')) as KubeconfigDoc | null) ?? undefined;
  } catch (error) {
    throw new KindlabError(`failed to read kubeconfig ${path}`, { cause: error });
  }
}

/**
 * client-go's lock: `<path>.lock` created exclusively; waits up to 10 s for another writer. Without
 * `signal` for the removals, which run in the cleanup that Ctrl-C starts.
 */
async function lockKubeconfig(path: string, signal?: AbortSignal): Promise<() => void> {
  const lockPath = `${path}.lock`;
  try {
    await waitUntil(
      async () => {
        closeSync(openSync(lockPath, 'wx', 0o600));
        return doneWith(undefined);
      },
      // Only "someone else holds it" (EEXIST) is worth waiting for.
      {
        what: `the lock ${lockPath}`,
        timeoutMs: 10_000,
        intervalMs: 200,
        ...(signal ? { signal } : {}),
        stopOn: (error) => (error as NodeJS.ErrnoException).code !== 'EEXIST',
      },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new KindlabError(`failed to lock kubeconfig ${path}: ${lockPath} has existed for 10 s`, {
        hint: `if no kind or kubectl is writing it, remove ${lockPath}`,
      });
    }
    throw new KindlabError(`failed to lock kubeconfig ${path}`, { cause: error });
  }
  return () => rmSync(lockPath, { force: true });
}
