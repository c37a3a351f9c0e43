import type { Readable } from 'node:stream';
import type { CoreV1Event, V1ConfigMap, V1Deployment, V1EndpointSlice, V1Node, V1Pod, V1ReplicaSet, V1Service } from '@kubernetes/client-node';
import type { NodeExecOptions, NodeExecResult } from '../node/node-exec.js';

/** The namespaced objects kindlab reads, creates and deletes, by the name kubectl gives their kind. */
export interface KubeObjects {
  pod: V1Pod;
  service: V1Service;
  configmap: V1ConfigMap;
  deployment: V1Deployment;
  replicaset: V1ReplicaSet;
  /** Read only: the API servers' own addresses are the `kubernetes` Service's slices in `default`. */
  endpointslice: V1EndpointSlice;
}
export type ObjectKind = keyof KubeObjects;

/**
 * Everything kindlab asks a cluster's Kubernetes API, for every command: `lab up` and `lab status`
 * (node and pod readiness), inspect and report (the API's view), verify (probe pods) and tour
 * (the demo objects). Objects are the API's JSON, typed with client-node's models (types only), so a
 * kubectl JSON recording is a fixture. One implementation talks to a cluster (https-kube-api.ts);
 * unit tests use the fake in
 * test/unit/support/fake-kube-api.ts.
 */
export interface KubeApi {
  /** The endpoint the kubeconfig points at (the load balancer's published port in ha). */
  readonly server: string;
  gitVersion(): Promise<string>;
  listNodes(): Promise<V1Node[]>;
  read<K extends ObjectKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K]>;
  create<K extends ObjectKind>(kind: K, namespace: string, object: KubeObjects[K]): Promise<KubeObjects[K]>;
  /** The objects of one namespace, or of every namespace when none is given, matching the selector if one is given. */
  list<K extends ObjectKind>(kind: K, namespace?: string, labelSelector?: string): Promise<Array<KubeObjects[K]>>;
  /** Deletes one pod the way kubectl does (its grace period), as a user or a failure would. */
  deletePod(namespace: string, name: string): Promise<void>;
  /**
   * Deletes the objects of one kind matching the selector, without waiting for them to go: pods
   * immediately (grace period 0), Deployments and ReplicaSets with their dependents in the background.
   */
  deleteLabelled(kind: ObjectKind, namespace: string, labelSelector: string): Promise<void>;
  podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string>;
  listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]>;
  /**
   * Streams the changes of one collection of every namespace (the watch API: existing objects first as
   * ADDED, then each change) until `stop` is called or the server ends the stream (`onEnd`, with the
   * error if there was one). Resolves once the stream is open.
   */
  watch(collection: WatchedCollection, onChange: (change: WatchChange) => void, onEnd: (error?: unknown) => void): Promise<{ stop(): void }>;
  /**
   * Runs argv in a pod's container (`kubectl exec`, over the API's websocket) and answers its exit code
   * and output. Aborting or the timeout closes the connection and rejects (the timeout with
   * NodeExecTimeoutError); a command the runtime could not start rejects with the API's message.
   */
  execInPod(namespace: string, pod: string, container: string, argv: readonly string[], options?: ExecInPodOptions): Promise<NodeExecResult>;
}

export interface ExecInPodOptions extends NodeExecOptions {
  /** Streamed to the command's stdin, closed at its end (`kubectl exec -i`): an image tar for `docker load`. */
  stdin?: Readable;
}

/** The collections `lab serve` watches. */
export type WatchedCollection = 'pods' | 'events';

export type WatchChange =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; collection: 'pods'; object: V1Pod }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; collection: 'events'; object: CoreV1Event };

/** The one way kindlab connects to a cluster: from the text of a kubeconfig (its current context). */
export type KubeClientFactory = (kubeconfigText: string) => KubeApi;
