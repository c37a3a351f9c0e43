import type { CriContainerRecord, SandboxRecord } from './snapshot.js';

/**
 * Parsers for crictl's JSON (`crictl pods -o json`, `crictl ps -o json`, `crictl inspectp|inspect -o json`).
 * crictl prints one JSON document per id for inspect/inspectp, back to back, so those are split first.
 */

/** What crictl's list commands print: `pods` -> items, `ps` -> containers, `images` -> images. */
interface CrictlLists {
  items: {
    id: string;
    metadata?: { name?: string; uid?: string; namespace?: string };
    state?: string;
    createdAt?: string | number;
  };
  containers: {
    id: string;
    podSandboxId?: string;
    metadata?: { name?: string };
    image?: { image?: string; userSpecifiedImage?: string };
    imageRef?: string;
    state?: string;
    createdAt?: string | number;
  };
  images: { repoTags?: string[] | null };
}

/** `crictl images -o json`: the images in the node's containerd (k8s.io namespace). */
export const CRICTL_IMAGES_ARGV = ['crictl', 'images', '-o', 'json'] as const;

function crictlList<K extends keyof CrictlLists>(json: string, key: K): Array<CrictlLists[K]> {
  return (JSON.parse(json) as Partial<Record<K, Array<CrictlLists[K]>>>)[key] ?? [];
}

export function parseCrictlPods(json: string): SandboxRecord[] {
  return crictlList(json, 'items').map((item) => ({
    id: item.id,
    pod: {
      namespace: item.metadata?.namespace ?? '',
      name: item.metadata?.name ?? '',
      uid: item.metadata?.uid ?? '',
    },
    state: item.state ?? 'UNKNOWN',
    createdAt: nanosToIso(item.createdAt),
  }));
}

export function parseCrictlContainers(json: string): CriContainerRecord[] {
  return crictlList(json, 'containers').map((c) => ({
    id: c.id,
    sandboxId: c.podSandboxId ?? '',
    name: c.metadata?.name ?? '',
    image: c.image?.userSpecifiedImage || c.image?.image || c.imageRef || '',
    state: c.state ?? 'UNKNOWN',
    createdAt: nanosToIso(c.createdAt),
  }));
}

/** Every tag of every image in `crictl images -o json`, in crictl's order. */
export function parseCrictlImageTags(json: string): string[] {
  return crictlList(json, 'images').flatMap((image) => image.repoTags ?? []);
}

interface InspectEntry {
  status?: { id?: string };
  info?: { pid?: number };
}

/** id -> pid from `crictl inspect[p] -o json ID...`; entries without a running process are skipped. */
export function parseCrictlInspectPids(text: string): Map<string, number> {
  const pids = new Map<string, number>();
  // One id prints one object; several print an array (crictl 1.3x) or objects back to back (older).
  for (const doc of splitJsonDocuments(text)) {
    const parsed = JSON.parse(doc) as InspectEntry | InspectEntry[];
    for (const value of Array.isArray(parsed) ? parsed : [parsed]) {
      const id = value.status?.id;
      const pid = value.info?.pid;
      if (id && typeof pid === 'number' && pid > 0) pids.set(id, pid);
    }
  }
  return pids;
}

/** Splits concatenated top-level JSON objects/arrays, honouring strings and escapes. */
export function splitJsonDocuments(text: string): string[] {
  const docs: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        docs.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  if (depth !== 0) throw new Error('failed to split crictl output: unbalanced JSON');
  return docs;
}

/** crictl prints createdAt as nanoseconds since the epoch (a string in JSON). */
function nanosToIso(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const ms = Number(BigInt(String(value)) / 1_000_000n);
  return new Date(ms).toISOString();
}
