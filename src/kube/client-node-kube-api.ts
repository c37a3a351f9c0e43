import { Writable } from 'node:stream';
import { AppsV1Api, CoreV1Api, Exec, KubeConfig, KubernetesObjectApi, VersionApi, type CoreV1Event, type V1Node, type V1Status } from '@kubernetes/client-node';
import { formatCommand } from '../common/shell-quote.js';
import type { NodeExecOptions, NodeExecResult } from '../node/node-exec.js';
import { NodeExecTimeoutError } from '../node/node-exec-timeout-error.js';
import type { KubeApi, KubeClientFactory, KubeObjects, ObjectKind } from './kube-api.js';

/** apiVersion and kind of each object kind kindlab handles. */
const TYPES: Record<ObjectKind, { apiVersion: string; kind: string }> = {
  pod: { apiVersion: 'v1', kind: 'Pod' },
  service: { apiVersion: 'v1', kind: 'Service' },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  replicaset: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  endpointslice: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
};

/** KubeApi over @kubernetes/client-node: the only file that builds a client from a kubeconfig. */
export class ClientNodeKubeApi implements KubeApi {
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly version: VersionApi;
  private readonly podExec: Exec;
  /** Reads, creates and lists every kind the same way; client-node maps kind to resource by discovery (cached). */
  private readonly objects: KubernetesObjectApi;

  constructor(kubeConfig: KubeConfig) {
    this.server = kubeConfig.getCurrentCluster()?.server ?? '';
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.version = kubeConfig.makeApiClient(VersionApi);
    this.podExec = new Exec(kubeConfig);
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
    else if (kind === 'service') await this.core.deleteCollectionNamespacedService(query);
    else throw new Error(`kindlab does not delete ${kind} objects`);
  }

  podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string> {
    return this.core.readNamespacedPodLog({ namespace, name, tailLines: options.tailLines, ...(options.container ? { container: options.container } : {}) });
  }

  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (await this.core.listNamespacedEvent({ namespace, fieldSelector })).items;
  }

  async execInPod(namespace: string, pod: string, container: string, argv: readonly string[], options: NodeExecOptions = {}): Promise<NodeExecResult> {
    const shown = formatCommand('kubectl', ['exec', '-n', namespace, pod, '-c', container, '--', ...argv]);
    options.signal?.throwIfAborted();
    const stdout = collector();
    const stderr = collector();
    let status: V1Status | undefined;
    const socket = await this.podExec.exec(namespace, pod, container, [...argv], stdout.stream, stderr.stream, null, false, (s) => (status = s));
    return new Promise<NodeExecResult>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        done();
      };
      const onAbort = () => settle(() => (socket.close(), reject(options.signal!.reason)));
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => settle(() => (socket.close(), reject(new NodeExecTimeoutError(shown, options.timeoutMs!)))), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('error', (error: Error) => settle(() => reject(new Error(`failed to run \`${shown}\`: ${error.message}`, { cause: error }))));
      socket.on('close', () =>
        settle(() => {
          const exitCode = exitCodeOf(status);
          if (exitCode === undefined) reject(new Error(`failed to run \`${shown}\`: ${status?.message ?? 'the connection closed without an exit status'}`));
          else resolve({ exitCode, stdout: stdout.text(), stderr: stderr.text() });
        }),
      );
    });
  }
}

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * The exit code in the API's status message: Success is 0, a non-zero exit is a Failure with an
 * ExitCode cause; any other Failure (the runtime could not start the command) has none.
 */
export function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (status?.status === 'Success') return 0;
  const code = status?.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  return code === undefined ? undefined : Number(code);
}

/** Connects with the kubeconfig's current context. */
export const connectClientNodeKubeApi: KubeClientFactory = (kubeconfigText) => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigText);
  return new ClientNodeKubeApi(kubeConfig);
};
