import type { KubeNodeRecord, KubePodRecord } from '../snapshot.js';

/** The cluster as the Kubernetes API describes it. */
export interface KubernetesView {
  listNodes(): Promise<KubeNodeRecord[]>;
  listPods(): Promise<KubePodRecord[]>;
}
