import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { removeDeadRuns, type ProcessTable } from '../common/run-owner.js';
import { doneIf, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import type { KubeApi } from '../kube/kube-api.js';
import { AGENT_NAMESPACE, agentSelector } from './agent-pod-manifest.js';

const debug = createDebugLogger('agent');

export interface AgentRemovalOptions {
  /** How long the kubelets may take to stop the agents before they are force-deleted. */
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Deletes one run's agent pods (by its run id label) and returns once the API no longer lists them.
 * Graceful on purpose (the pods' 1 s grace period, agent-pod-manifest.ts): the API then keeps a pod
 * until its kubelet has stopped its container and sandbox, so "not listed" means its shim, pause and
 * sleep are gone from the node. A force delete (grace 0) only removes the API object and leaves the
 * kubelet to kill the processes afterwards, which the next read of the node still sees. A kubelet that
 * does not confirm in time (node down) gets a force delete, and the failure is reported.
 */
export async function removeAgentRun(kube: KubeApi, runId: string, options: AgentRemovalOptions): Promise<void> {
  const selector = agentSelector(runId);
  const pods = await kube.list('pod', AGENT_NAMESPACE, selector);
  // One may already be going (a pod listed a moment ago); the wait below is what counts.
  await Promise.allSettled(pods.map((pod) => kube.deletePod(AGENT_NAMESPACE, pod.metadata!.name!)));
  try {
    await waitUntil(
      async () => {
        const left = await kube.list('pod', AGENT_NAMESPACE, selector);
        return doneIf(left.length === 0, `${left.length} agent pods left: ${left.map((p) => `${p.metadata?.name} on ${p.spec?.nodeName}`).join(', ')}`);
      },
      {
        what: `the kubelets to stop the agent pods (${selector})`,
        timeoutMs: options.timeoutMs,
        intervalMs: options.pollMs ?? 250,
        ...(options.signal ? { signal: options.signal } : {}),
        hint: `list them with \`kubectl get pods -n ${AGENT_NAMESPACE} -l ${selector} -o wide\`; their node may be down`,
      },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    await kube.deleteLabelled('pod', AGENT_NAMESPACE, selector);
    throw new KindlabError(`failed to remove the agent pods of run ${runId} gracefully: ${error.message}; they were force-deleted`, {
      cause: error,
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
}

/**
 * Agents of earlier runs that were killed (SIGKILL, a crash) before they deleted their agents: a run
 * is removed only when its owner annotation proves its process gone (same host, and another boot or
 * no process with that pid and start time: run-owner.ts), so agents of a run still going on here or on
 * another machine are left alone (they end by themselves after AGENT_LIFETIME_SECONDS).
 */
export function removeDeadAgentRuns(kube: KubeApi, ownRunId: string, options: AgentRemovalOptions & { processes?: ProcessTable }): Promise<string[]> {
  return removeDeadRuns({
    what: 'agent',
    ownRunId,
    list: async () => (await kube.list('pod', AGENT_NAMESPACE, agentSelector())).map((p) => p.metadata ?? {}),
    remove: (run) => removeAgentRun(kube, run, options),
    debug,
    processes: options.processes,
    signal: options.signal,
  });
}
