import type { CoreV1Event, V1ConfigMap, V1Deployment, V1Node, V1ObjectMeta, V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node';

/** The object kinds kindlab creates and deletes by label (tour objects, verify probes). */
export type LabelledKind = 'deployment' | 'replicaset' | 'pod' | 'configmap' | 'service';

/**
 * Everything kindlab asks a cluster's Kubernetes API, for every command: `lab up` and `lab status`
 * (node and pod readiness), inspect and report (the API's view), verify (probe pods) and tour
 * (the demo objects). Objects are client-node's models, so a kubectl JSON recording is a fixture.
 * One implementation talks to a cluster (client-node-kube-api.ts); unit tests use the fake in
 * test/unit/support/fake-kube-api.ts.
 */
export interface KubeApi {
  /** The endpoint the kubeconfig points at (the load balancer's published port in ha). */
  readonly server: string;
  gitVersion(): Promise<string>;
  listNodes(): Promise<V1Node[]>;
  /** Pods of one namespace, or of every namespace when none is given. */
  listPods(namespace?: string, labelSelector?: string): Promise<V1Pod[]>;
  readPod(namespace: string, name: string): Promise<V1Pod>;
  createPod(namespace: string, pod: V1Pod): Promise<V1Pod>;
  deletePod(namespace: string, name: string): Promise<void>;
  podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string>;
  listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]>;
  readService(namespace: string, name: string): Promise<V1Service>;
  createService(namespace: string, service: V1Service): Promise<V1Service>;
  createConfigMap(namespace: string, configMap: V1ConfigMap): Promise<V1ConfigMap>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap>;
  createDeployment(namespace: string, deployment: V1Deployment): Promise<V1Deployment>;
  readDeployment(namespace: string, name: string): Promise<V1Deployment>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<V1ReplicaSet[]>;
  /** Metadata of the objects of one kind matching the selector. */
  listLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<V1ObjectMeta[]>;
  /**
   * Deletes the objects of one kind matching the selector, without waiting for them to go: pods
   * immediately (grace period 0), Deployments and ReplicaSets with their dependents in the background.
   */
  deleteLabelled(kind: LabelledKind, namespace: string, labelSelector: string): Promise<void>;
}

/** The one way kindlab connects to a cluster: from the text of a kubeconfig (its current context). */
export type KubeClientFactory = (kubeconfigText: string) => KubeApi;
