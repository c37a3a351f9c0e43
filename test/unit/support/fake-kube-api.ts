import type { CoreV1Event, V1ConfigMap, V1Deployment, V1Node, V1ObjectMeta, V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import type { KubeApi, LabelledKind } from '../../../src/kube/kube-api.js';

type StoredKind = LabelledKind | 'event';
type Stored = { metadata?: V1ObjectMeta };

/**
 * The one fake of the Kubernetes seam (src/kube/kube-api.ts): an in-memory API server holding
 * the objects a test gives it (recorded with kubectl from real clusters, see each test), with our
 * model of label and field selection (equality terms only, as kindlab uses them). Every call is
 * logged in `calls`; a test overrides a method to replay a sequence of states.
 */
export class FakeKubeApi implements KubeApi {
  readonly server: string;
  readonly calls: string[] = [];
  nodes: V1Node[];
  objects: Array<{ kind: StoredKind; namespace: string; object: Stored }> = [];
  version = 'v1.34.4';
  logs = new Map<string, string>();

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
  async listPods(namespace?: string, labelSelector?: string): Promise<V1Pod[]> {
    this.calls.push(`list pods ${namespace ?? '*'}${labelSelector ? ` ${labelSelector}` : ''}`);
    return this.select('pod', namespace, labelSelector) as V1Pod[];
  }
  async readPod(namespace: string, name: string): Promise<V1Pod> {
    return this.read('pod', namespace, name) as V1Pod;
  }
  async createPod(namespace: string, pod: V1Pod): Promise<V1Pod> {
    return this.create('pod', namespace, pod);
  }
  async deletePod(namespace: string, name: string): Promise<void> {
    this.calls.push(`delete pod ${namespace}/${name}`);
    this.read('pod', namespace, name);
    this.objects = this.objects.filter((o) => !(o.kind === 'pod' && o.namespace === namespace && o.object.metadata?.name === name));
  }
  async podLog(namespace: string, name: string): Promise<string> {
    this.calls.push(`log ${namespace}/${name}`);
    return this.logs.get(`${namespace}/${name}`) ?? '';
  }
  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (this.select('event', namespace) as CoreV1Event[]).filter((e) => matchesFields(e, fieldSelector));
  }
  async readService(namespace: string, name: string): Promise<V1Service> {
    return this.read('service', namespace, name) as V1Service;
  }
  async createService(namespace: string, service: V1Service): Promise<V1Service> {
    return this.create('service', namespace, service);
  }
  async createConfigMap(namespace: string, configMap: V1ConfigMap): Promise<V1ConfigMap> {
    return this.create('configmap', namespace, configMap);
  }
  async readConfigMap(namespace: string, name: string): Promise<V1ConfigMap> {
    return this.read('configmap', namespace, name) as V1ConfigMap;
  }
  async createDeployment(namespace: string, deployment: V1Deployment): Promise<V1Deployment> {
    return this.create('deployment', namespace, deployment);
  }
  async readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.read('deployment', namespace, name) as V1Deployment;
  }
  async listReplicaSets(namespace: string, labelSelector: string): Promise<V1ReplicaSet[]> {
    return this.select('replicaset', namespace, labelSelector) as V1ReplicaSet[];
  }
  async listLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<V1ObjectMeta[]> {
    this.calls.push(`list ${kind} ${namespace} ${labelSelector}`);
    return this.select(kind, namespace, labelSelector).map((o) => o.metadata ?? {});
  }
  async deleteLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<void> {
    this.calls.push(`delete ${kind} ${namespace} ${labelSelector}`);
    this.objects = this.objects.filter((o) => !(o.kind === kind && o.namespace === namespace && matchesLabels(o.object.metadata, labelSelector)));
  }

  private select(kind: StoredKind, namespace: string | undefined, labelSelector?: string): Stored[] {
    return this.objects
      .filter((o) => o.kind === kind && (namespace === undefined || o.namespace === namespace) && (!labelSelector || matchesLabels(o.object.metadata, labelSelector)))
      .map((o) => o.object);
  }
  private read(kind: StoredKind, namespace: string, name: string): Stored {
    const found = this.select(kind, namespace).find((o) => o.metadata?.name === name);
    // client-node's ApiException carries the HTTP status as `code`.
    if (!found) throw Object.assign(new Error(`${kind}s "${name}" not found`), { code: 404 });
    return found;
  }
  private async create<T extends Stored>(kind: StoredKind, namespace: string, object: T): Promise<T> {
    this.calls.push(`create ${kind} ${namespace}/${object.metadata?.name ?? ''}`);
    const stored = { ...object, metadata: { ...object.metadata, uid: `uid-${this.objects.length + 1}` } };
    this.objects.push({ kind, namespace, object: stored });
    return stored;
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
