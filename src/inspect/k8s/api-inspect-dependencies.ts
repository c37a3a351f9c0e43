import { currentRunOwner, newRunId } from '../../common/run-owner.js';
import type { KubeApi, KubeClientFactory } from '../../kube/kube-api.js';
import { DEFAULT_AGENT_IMAGE } from '../../node/agent-pod-manifest.js';
import { KubeAgentNodeExec } from '../../node/kube-agent-node-exec.js';
import type { VerifyDependencies } from '../../verify/verify-cluster.js';
import { ApiClusterNodes } from './api-cluster-nodes.js';

export interface ApiPathOptions {
  /** The kubeconfig, its context current (read-kubeconfig-flag.ts). */
  kubeconfigText: string;
  /** The name the snapshot and the agents' labels carry. */
  cluster: string;
  agentImage?: string;
  /** How long each agent may take to be Ready (default 120 s: a loaded machine starts pods slowly). */
  agentReadyTimeoutMs?: number;
  signal?: AbortSignal;
}

/** inspect's and verify's edges on the API path, plus the one connection and the cleanup of the agents. */
export interface ApiPathDependencies extends VerifyDependencies {
  connectKube: () => Promise<KubeApi>;
  /** Deletes this run's agent pods and waits until they are gone: call it in a finally. */
  dispose(): Promise<void>;
}

/**
 * Everything through the cluster's API alone: the nodes the API lists stand for the containers, an
 * agent pod per node runs the node's own ps and crictl, and there is no record of `lab up` (verify's
 * expectation is guessed from the nodes, or given with --expect).
 */
export function apiPathDependencies(options: ApiPathOptions, connect: KubeClientFactory): ApiPathDependencies {
  const kube = connect(options.kubeconfigText);
  const owner = currentRunOwner();
  const exec = new KubeAgentNodeExec(kube, {
    lab: options.cluster,
    runId: newRunId(),
    image: options.agentImage ?? DEFAULT_AGENT_IMAGE,
    readyTimeoutMs: options.agentReadyTimeoutMs ?? 120_000,
    ...(owner ? { owner } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    containers: new ApiClusterNodes(kube, options.cluster),
    exec,
    kube: () => kube,
    connectKube: async () => kube,
    readLabRecord: async () => undefined,
    apiPath: true,
    dispose: () => exec.dispose(),
  };
}
