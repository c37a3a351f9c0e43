import type { CoreV1Event, V1Node, V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeApi, KubeObjects, ObjectKind, WatchChange, WatchedCollection } from '../../../src/kube/kube-api.js';

type StoredKind = ObjectKind | 'event';
type Stored = { metadata?: V1ObjectMeta };

/**
 * The one fake of the Kubernetes seam (src/kube/kube-api.ts): an in-memory API server holding
 * the objects a test gives it (recorded with kubectl from real clusters, see each test), with our
 * model of label and field selection (equality terms only, as kindlab uses them). Every call that
 * changes something, and every list, is logged in `calls`; a test overrides a method to replay a
 * sequence of states.
 */
export class FakeKubeApi implements KubeApi {
  readonly server: string;
  readonly calls: string[] = [];
  nodes: V1Node[];
  objects: Array<{ kind: StoredKind; namespace: string; object: Stored }> = [];
  version = 'v1.34.4';

  constructor(options: { server?: string; nodes?: V1Node[] } = {}) {
    this.server = options.server ?? 'https://127.0.0.1:6443';
    this.nodes = options.nodes ?? [];
  }

  /** Adds objects as a cluster would hold them. */
  add(kind: StoredKind, namespace: string, ...objects: Stored[]): this {
    for (const object of objects) this.objects.push({ kind, namespace, object });
    return this;
  }

  async gitVersion(): Promise<string> {
    return this.version;
  }

  async listNodes(): Promise<V1Node[]> {
    this.calls.push('list nodes');
    return this.nodes;
  }

  async read<K extends ObjectKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K]> {
    const found = this.select(kind, namespace).find((o) => o.metadata?.name === name);
    // client-node's ApiException carries the HTTP status as `code`.
    if (!found) throw Object.assign(new Error(`${kind}s "${name}" not found`), { code: 404 });
    return found as KubeObjects[K];
  }

  async create<K extends ObjectKind>(kind: K, namespace: string, object: KubeObjects[K]): Promise<KubeObjects[K]> {
    this.calls.push(`create ${kind} ${namespace}/${object.metadata?.name ?? ''}`);
    const stored = { ...object, metadata: { ...object.metadata, namespace, uid: `uid-${this.objects.length + 1}` } };
    this.objects.push({ kind, namespace, object: stored });
    return stored;
  }

  async list<K extends ObjectKind>(kind: K, namespace?: string, labelSelector?: string): Promise<Array<KubeObjects[K]>> {
    this.calls.push(`list ${kind} ${namespace ?? '*'}${labelSelector ? ` ${labelSelector}` : ''}`);
    return this.select(kind, namespace, labelSelector) as Array<KubeObjects[K]>;
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    this.calls.push(`delete pod ${namespace}/${name}`);
    await this.read('pod', namespace, name);
    this.objects = this.objects.filter((o) => !(o.kind === 'pod' && o.namespace === namespace && o.object.metadata?.name === name));
  }

  async deleteLabelled(kind: ObjectKind, namespace: string, labelSelector: string): Promise<void> {
    this.calls.push(`delete ${kind} ${namespace} ${labelSelector}`);
    this.objects = this.objects.filter((o) => !(o.kind === kind && o.namespace === namespace && matchesLabels(o.object.metadata, labelSelector)));
  }

  async podLog(namespace: string, name: string): Promise<string> {
    this.calls.push(`log ${namespace}/${name}`);
    return '';
  }

  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (this.select('event', namespace) as CoreV1Event[]).filter((e) => matchesFields(e, fieldSelector));
  }

  /** Open watches: a test pushes changes with `emit` and ends a stream with `end`. */
  watchers: Array<{ collection: WatchedCollection; onChange: (change: WatchChange) => void; onEnd: (error?: unknown) => void; stopped: boolean }> = [];

  async watch(collection: WatchedCollection, onChange: (change: WatchChange) => void, onEnd: (error?: unknown) => void): Promise<{ stop(): void }> {
    this.calls.push(`watch ${collection}`);
    const watcher = { collection, onChange, onEnd, stopped: false };
    this.watchers.push(watcher);
    return { stop: () => void (watcher.stopped = true) };
  }

  emit(change: WatchChange): void {
    for (const w of this.watchers) if (!w.stopped && w.collection === change.collection) w.onChange(change);
  }

  private select(kind: StoredKind, namespace: string | undefined, labelSelector?: string): Stored[] {
    return this.objects
      .filter(
        (o) => o.kind === kind && (namespace === undefined || o.namespace === namespace) && (!labelSelector || matchesLabels(o.object.metadata, labelSelector)),
      )
      .map((o) => o.object);
  }
}

function matchesLabels(meta: V1ObjectMeta | undefined, selector: string): boolean {
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return meta?.labels?.[key!] === value;
  });
}

function matchesFields(event: CoreV1Event, selector: string): boolean {
  return selector.split(',').every((term) => {
    const [path, value] = term.split('=');
    const field = path!.replace(/^involvedObject\./, '') as 'kind' | 'name' | 'uid';
    return event.involvedObject[field] === value;
  });
}
