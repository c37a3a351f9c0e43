import type { EtcdEndpointHealth, EtcdMember } from '../inspect/parse-etcdctl-output.js';
import type { LoadBalancerBackend } from '../inspect/parse-haproxy-config.js';
import type { SocketRecord } from '../inspect/parse-ss-output.js';
import type { Snapshot } from '../inspect/snapshot.js';

/**
 * Everything the checks look at: the inspection snapshot plus facts only verify needs, gathered
 * by gather-evidence.ts. Checks are pure functions of this, so unit tests replay recorded evidence.
 */
export interface ClusterEvidence {
  snapshot: Snapshot;
  /**
   * Nodes whose first read caught a pod sandbox between ps and crictl, read again until they agreed
   * or the time ran out (settle-sandbox-reads.ts): how many reads, over how long, and what the first
   * read showed. The snapshot holds the last read.
   */
  sandboxReads?: Record<string, { count: number; ms: number; first: string }>;
  /** The API server's /version through the kubeconfig endpoint (the load balancer in ha). */
  apiVersion?: Probe<{ server: string; gitVersion: string }>;
  /** Per node: established TCP connections of the kubelet (`ss -Htnp state established`). */
  kubeletConnections: Record<string, Probe<SocketRecord[]>>;
  /** The load balancer's haproxy.cfg backends, when there is a load balancer. */
  loadBalancerBackends?: Probe<LoadBalancerBackend[]>;
  /** `etcdctl endpoint health --cluster` seen from one etcd member (stacked) or the external etcd. */
  etcdHealth?: Probe<EtcdEndpointHealth[]>;
  etcdMembers?: Probe<EtcdMember[]>;
  /** Per node: reading the logs of a pod on that node through the API server (API -> kubelet). */
  kubeletLogs: Record<string, Probe<{ pod: string; bytes: number }>>;
  /**
   * API path (no load balancer container to read): the endpoint clients are given and the API
   * servers' own addresses (`ip:port`), gathered when the snapshot has no load balancer container.
   */
  clusterEndpoint?: Probe<ClusterEndpoint>;
  apiServerEndpoints?: Probe<string[]>;
  /** Short-lived pods: one per worker (or the single node), resolving a Service name through cluster DNS. */
  probePods?: Probe<ProbePodOutcome[]>;
}

/** kubeadm's controlPlaneEndpoint as the cluster hands it out (cluster-info), and its address. */
export interface ClusterEndpoint {
  server: string;
  /** `ip:port`, resolved on a control plane when the server is a name. */
  address: string;
  resolvedOn?: string;
}

/** A fact, or why it could not be gathered; `ok: false` becomes a failed check, never a crash. */
export type Probe<T> = { ok: true; value: T; command?: string } | { ok: false; error: string; command?: string };

export interface ProbePodOutcome {
  pod: string;
  /** The node the pod was meant for (nodeSelector). */
  targetNode: string;
  /** Where the scheduler put it. */
  scheduledNode?: string;
  phase: string;
  exitCode?: number;
  /** What it printed (etcdctl's answer), read through the API. */
  log: string;
  dnsName: string;
  /** A first client on the same node that failed; this outcome is then the second's (run-probe-pods.ts says why). */
  firstAttempt?: { pod: string; phase: string; exitCode?: number; log: string };
}
