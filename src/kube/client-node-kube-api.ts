import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, VersionApi, Watch, type CoreV1Event, type V1Node } from '@kubernetes/client-node';
import type { KubeApi, KubeClientFactory, KubeObjects, ObjectKind, WatchChange, WatchedCollection } from './kube-api.js';

/** apiVersion and kind of each object kind kindlab handles. */
const TYPES: Record<ObjectKind, { apiVersion: string; kind: string }> = {
  pod: { apiVersion: 'v1', kind: 'Pod' },
  service: { apiVersion: 'v1', kind: 'Service' },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  replicaset: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
};

/** KubeApi over @kubernetes/client-node: the only file that builds a client from a kubeconfig. */
export class ClientNodeKubeApi implements KubeApi {
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly version: VersionApi;
  /** Reads, creates and lists every kind the same way; client-node maps kind to resource by discovery (cached). */
  private readonly objects: KubernetesObjectApi;

  private readonly kubeConfig: KubeConfig;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.server = kubeConfig.getCurrentCluster()?.server ?? '';
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  async gitVersion(): Promise<string> {
    return (await this.version.getCode()).gitVersion;
  }

  async listNodes(): Promise<V1Node[]> {
    return (await this.core.listNode()).items;
  }

  async read<K extends ObjectKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K]> {
    return (await this.objects.read({ ...TYPES[kind], metadata: { namespace, name } })) as KubeObjects[K];
  }

  async create<K extends ObjectKind>(kind: K, namespace: string, object: KubeObjects[K]): Promise<KubeObjects[K]> {
    return (await this.objects.create({ ...object, ...TYPES[kind], metadata: { ...object.metadata, namespace } })) as KubeObjects[K];
  }

  async list<K extends ObjectKind>(kind: K, namespace?: string, labelSelector?: string): Promise<Array<KubeObjects[K]>> {
    const { apiVersion, kind: typeKind } = TYPES[kind];
    // No namespace lists every namespace (client-node's specUriPath leaves the segment out for `list`).
    const found = await this.objects.list(apiVersion, typeKind, namespace, undefined, undefined, undefined, undefined, labelSelector);
    return found.items as Array<KubeObjects[K]>;
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.core.deleteNamespacedPod({ namespace, name });
  }

  async deleteLabelled(kind: ObjectKind, namespace: string, labelSelector: string): Promise<void> {
    const query = { namespace, labelSelector };
    // Background propagation lets the garbage collector take ReplicaSets and Pods of a Deployment.
    const owners = { ...query, propagationPolicy: 'Background' };
    if (kind === 'deployment') await this.apps.deleteCollectionNamespacedDeployment(owners);
    else if (kind === 'replicaset') await this.apps.deleteCollectionNamespacedReplicaSet(owners);
    else if (kind === 'pod') await this.core.deleteCollectionNamespacedPod({ ...query, gracePeriodSeconds: 0 });
    else if (kind === 'configmap') await this.core.deleteCollectionNamespacedConfigMap(query);
    else await this.core.deleteCollectionNamespacedService(query);
  }

  podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string> {
    return this.core.readNamespacedPodLog({ namespace, name, tailLines: options.tailLines, ...(options.container ? { container: options.container } : {}) });
  }

  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (await this.core.listNamespacedEvent({ namespace, fieldSelector })).items;
  }

  async watch(collection: WatchedCollection, onChange: (change: WatchChange) => void, onEnd: (error?: unknown) => void): Promise<{ stop(): void }> {
    const path = collection === 'pods' ? '/api/v1/pods' : '/api/v1/events';
    let stopped = false;
    const controller = await new Watch(this.kubeConfig).watch(
      path,
      { allowWatchBookmarks: false },
      (type, object) => {
        if (!stopped && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) onChange({ type, collection, object } as WatchChange);
      },
      // client-node calls done once, also after abort(); a stop asked for is not an end to report.
      (error) => {
        if (!stopped) onEnd(error ?? undefined);
      },
    );
    return {
      stop() {
        stopped = true;
        controller.abort();
      },
    };
  }
}

/** Connects with the kubeconfig's current context. */
export const connectClientNodeKubeApi: KubeClientFactory = (kubeconfigText) => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigText);
  return new ClientNodeKubeApi(kubeConfig);
};
