import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  VersionApi,
  type CoreV1Event,
  type V1ConfigMap,
  type V1Deployment,
  type V1Node,
  type V1ObjectMeta,
  type V1Pod,
  type V1ReplicaSet,
  type V1Service,
} from '@kubernetes/client-node';
import type { KubeApi, KubeClientFactory, LabelledKind } from './kube-api.js';

/** KubeApi over @kubernetes/client-node: the only file that builds a client from a kubeconfig. */
export class ClientNodeKubeApi implements KubeApi {
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly version: VersionApi;

  constructor(kubeConfig: KubeConfig) {
    this.server = kubeConfig.getCurrentCluster()?.server ?? '';
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
  }

  async gitVersion(): Promise<string> {
    return (await this.version.getCode()).gitVersion;
  }

  async listNodes(): Promise<V1Node[]> {
    return (await this.core.listNode()).items;
  }

  async listPods(namespace?: string, labelSelector?: string): Promise<V1Pod[]> {
    const selector = labelSelector ? { labelSelector } : {};
    const list = namespace ? await this.core.listNamespacedPod({ namespace, ...selector }) : await this.core.listPodForAllNamespaces(selector);
    return list.items;
  }

  readPod(namespace: string, name: string): Promise<V1Pod> {
    return this.core.readNamespacedPod({ namespace, name });
  }

  createPod(namespace: string, pod: V1Pod): Promise<V1Pod> {
    return this.core.createNamespacedPod({ namespace, body: pod });
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.core.deleteNamespacedPod({ namespace, name });
  }

  podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string> {
    return this.core.readNamespacedPodLog({ namespace, name, tailLines: options.tailLines, ...(options.container ? { container: options.container } : {}) });
  }

  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (await this.core.listNamespacedEvent({ namespace, fieldSelector })).items;
  }

  readService(namespace: string, name: string): Promise<V1Service> {
    return this.core.readNamespacedService({ namespace, name });
  }

  createService(namespace: string, service: V1Service): Promise<V1Service> {
    return this.core.createNamespacedService({ namespace, body: service });
  }

  createConfigMap(namespace: string, configMap: V1ConfigMap): Promise<V1ConfigMap> {
    return this.core.createNamespacedConfigMap({ namespace, body: configMap });
  }

  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap> {
    return this.core.readNamespacedConfigMap({ namespace, name });
  }

  createDeployment(namespace: string, deployment: V1Deployment): Promise<V1Deployment> {
    return this.apps.createNamespacedDeployment({ namespace, body: deployment });
  }

  readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.apps.readNamespacedDeployment({ namespace, name });
  }

  async listReplicaSets(namespace: string, labelSelector: string): Promise<V1ReplicaSet[]> {
    return (await this.apps.listNamespacedReplicaSet({ namespace, labelSelector })).items;
  }

  async listLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<V1ObjectMeta[]> {
    const query = { namespace, labelSelector };
    const list: { items: Array<{ metadata?: V1ObjectMeta }> } =
      kind === 'deployment'
        ? await this.apps.listNamespacedDeployment(query)
        : kind === 'replicaset'
          ? await this.apps.listNamespacedReplicaSet(query)
          : kind === 'pod'
            ? await this.core.listNamespacedPod(query)
            : kind === 'configmap'
              ? await this.core.listNamespacedConfigMap(query)
              : await this.core.listNamespacedService(query);
    return list.items.map((o) => o.metadata ?? {});
  }

  async deleteLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<void> {
    const query = { namespace, labelSelector };
    // Background propagation lets the garbage collector take ReplicaSets and Pods of a Deployment.
    const owners = { ...query, propagationPolicy: 'Background' };
    if (kind === 'deployment') await this.apps.deleteCollectionNamespacedDeployment(owners);
    else if (kind === 'replicaset') await this.apps.deleteCollectionNamespacedReplicaSet(owners);
    else if (kind === 'pod') await this.core.deleteCollectionNamespacedPod({ ...query, gracePeriodSeconds: 0 });
    else if (kind === 'configmap') await this.core.deleteCollectionNamespacedConfigMap(query);
    else await this.core.deleteCollectionNamespacedService(query);
  }
}

/** Connects with the kubeconfig's current context. */
export const connectClientNodeKubeApi: KubeClientFactory = (kubeconfigText) => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigText);
  return new ClientNodeKubeApi(kubeConfig);
};
