import { CoreV1Api, KubeConfig, VersionApi, type V1ObjectMeta, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { doneIf, waitUntil } from '../common/wait-until.js';
import type { VerifyKubeApi } from './verify-kube-api.js';

const DELETE_TIMEOUT_MS = 60_000;

export class ClientNodeVerifyKubeApi implements VerifyKubeApi {
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly version: VersionApi;

  constructor(kubeConfig: KubeConfig) {
    this.server = kubeConfig.getCurrentCluster()?.server ?? '';
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
  }

  static fromKubeconfigText(text: string): ClientNodeVerifyKubeApi {
    const kc = new KubeConfig();
    kc.loadFromString(text);
    return new ClientNodeVerifyKubeApi(kc);
  }

  async gitVersion(): Promise<string> {
    return (await this.version.getCode()).gitVersion;
  }

  async podLog(namespace: string, name: string, container: string | undefined, tailLines: number): Promise<string> {
    return this.core.readNamespacedPodLog({ namespace, name, tailLines, ...(container ? { container } : {}) });
  }

  async createPod(namespace: string, pod: V1Pod): Promise<void> {
    await this.core.createNamespacedPod({ namespace, body: pod });
  }

  async readPod(namespace: string, name: string): Promise<V1Pod> {
    return this.core.readNamespacedPod({ namespace, name });
  }

  async createService(namespace: string, service: V1Service): Promise<void> {
    await this.core.createNamespacedService({ namespace, body: service });
  }

  async listLabelled(namespace: string, labelSelector: string): Promise<V1ObjectMeta[]> {
    const [pods, services] = await Promise.all([
      this.core.listNamespacedPod({ namespace, labelSelector }),
      this.core.listNamespacedService({ namespace, labelSelector }),
    ]);
    return [...pods.items, ...services.items].map((o) => o.metadata ?? {});
  }

  async deleteLabelled(namespace: string, labelSelector: string): Promise<void> {
    const [pods, services] = await Promise.all([
      this.core.listNamespacedPod({ namespace, labelSelector }),
      this.core.listNamespacedService({ namespace, labelSelector }),
    ]);
    await Promise.all([
      ...pods.items.map((p) => this.core.deleteNamespacedPod({ namespace, name: p.metadata!.name!, gracePeriodSeconds: 0 }).catch(ignoreNotFound)),
      ...services.items.map((s) => this.core.deleteNamespacedService({ namespace, name: s.metadata!.name! }).catch(ignoreNotFound)),
    ]);
    // The command exits right after: wait until the objects are really gone, so it leaves nothing behind.
    // No signal: this is the cleanup an interrupted verify runs.
    await waitUntil(
      async () => {
        const [left, leftServices] = await Promise.all([
          this.core.listNamespacedPod({ namespace, labelSelector }),
          this.core.listNamespacedService({ namespace, labelSelector }),
        ]);
        return doneIf(left.items.length === 0 && leftServices.items.length === 0, `${left.items.length} pod(s) and ${leftServices.items.length} service(s) left`);
      },
      { what: `the probe objects labelled ${labelSelector} in ${namespace} to be deleted`, timeoutMs: DELETE_TIMEOUT_MS, intervalMs: 500 },
    );
  }
}

function ignoreNotFound(error: unknown): void {
  if ((error as { code?: number }).code === 404) return;
  throw error;
}
