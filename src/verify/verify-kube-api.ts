import type { V1ObjectMeta, V1Pod, V1Service } from '@kubernetes/client-node';

/** The few Kubernetes API calls verify makes itself (the snapshot covers the read-only view). */
export interface VerifyKubeApi {
  /** The endpoint the kubeconfig points at (the load balancer's published port in ha). */
  readonly server: string;
  gitVersion(): Promise<string>;
  podLog(namespace: string, name: string, container: string | undefined, tailLines: number): Promise<string>;
  createPod(namespace: string, pod: V1Pod): Promise<void>;
  readPod(namespace: string, name: string): Promise<V1Pod>;
  createService(namespace: string, service: V1Service): Promise<void>;
  /** Metadata of the pods and services matching the selector (to find a dead run's leftovers). */
  listLabelled(namespace: string, labelSelector: string): Promise<V1ObjectMeta[]>;
  /** Deletes pods and services matching the selector, immediately (grace period 0), and waits until they are gone. */
  deleteLabelled(namespace: string, labelSelector: string): Promise<void>;
}
