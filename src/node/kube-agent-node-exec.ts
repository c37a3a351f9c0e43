import type { V1Pod } from '@kubernetes/client-node';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { formatCommand } from '../common/shell-quote.js';
import type { ProcessTable } from '../common/run-owner.js';
import { doneWith, notYet, waitUntil } from '../common/wait-until.js';
import type { KubeApi } from '../kube/kube-api.js';
import { POD_START_FAILURES } from '../kube/pod-start-failures.js';
import { AGENT_CONTAINER, AGENT_HOST_ROOT, AGENT_LIFETIME_SECONDS, AGENT_NAMESPACE, agentPod, type AgentRun } from './agent-pod-manifest.js';
import { runInSections } from './command-sections.js';
import type { NodeExec, NodeExecOptions, NodeExecResult } from './node-exec.js';
import { removeAgentRun, removeDeadAgentRuns } from './remove-agent-runs.js';

const debug = createDebugLogger('agent');

export interface KubeAgentOptions extends AgentRun {
  /** How long an agent may take to be Ready (scheduling is skipped; the image is usually on the node). */
  readyTimeoutMs: number;
  /** How often a starting agent is read. */
  pollMs?: number;
  /** Ctrl-C: stops waiting for agents; dispose() still deletes them. */
  signal?: AbortSignal;
  /** How long dispose() waits for the kubelets to stop the agents (default 60 s). */
  removeTimeoutMs?: number;
  /** Tells whether an earlier run's process is gone (tests pass their own). */
  processes?: ProcessTable;
  /** The clock that ages agents (tests pass their own). */
  now?: () => number;
}

/**
 * An agent older than this is replaced before its next command: its `sleep` ends at
 * AGENT_LIFETIME_SECONDS, and a reader that outlives that (`lab serve`) must not exec into an ended pod.
 * Two minutes of margin: longer than any one read of a node.
 */
export const AGENT_RENEW_AFTER_MS = (AGENT_LIFETIME_SECONDS - 120) * 1000;

/**
 * NodeExec through the Kubernetes API alone: the first command for a node starts an agent pod
 * pinned to it (agent-pod-manifest.ts) and waits until it is Ready; every command then runs in it
 * as `chroot /host argv` over the API's exec websocket, so the node's own ps and crictl answer and
 * inspect's parsers apply unchanged. One pod per node serves all of a run's commands (two exec
 * round trips per node for a snapshot, as on the Docker path; a run that outlives an agent's
 * lifetime, `lab serve`, gets a new one every AGENT_RENEW_AFTER_MS); dispose() deletes the run's pods
 * by its run id label, and waits until the API no longer lists them (remove-agent-runs.ts: then their
 * processes are gone from the nodes too). Before its first agent, a run removes the agents of earlier
 * runs whose process is provably gone.
 *
 * Exec rather than "script as the pod's command, read its logs": the second read of a node depends
 * on the first (crictl inspect of the ids crictl ps named), logs merge stdout and stderr and carry no
 * exit code, and verify runs further commands (ss, etcdctl) in the same node later.
 */
export class KubeAgentNodeExec implements NodeExec {
  /** The current agent of each node. */
  private readonly agents = new Map<string, Agent>();
  /** Every agent of this run, replaced ones included (a snapshot leaves them all out). */
  private readonly names = new Set<string>();
  /** Pod names are numbered in creation order: short and valid whatever the nodes are called. */
  private created = 0;
  /** Replaced agents being deleted; dispose() waits for them with the rest. */
  private readonly retiring: Promise<unknown>[] = [];
  private deadRunsRemoved: Promise<unknown> | undefined;

  constructor(
    private readonly kube: KubeApi,
    private readonly options: KubeAgentOptions,
  ) {}

  command(node: string, argv: readonly string[]): string {
    const pod = this.agents.get(node)?.name ?? agentPod(this.options, node, this.created).metadata!.name!;
    return formatCommand('kubectl', ['exec', '-n', AGENT_NAMESPACE, pod, '--', 'chroot', AGENT_HOST_ROOT, ...argv]);
  }

  /** This run's agent pods (namespace and name), so a snapshot can leave them out. */
  ownPods(): Array<{ namespace: string; name: string }> {
    return [...this.names].map((name) => ({ namespace: AGENT_NAMESPACE, name }));
  }

  async exec(node: string, argv: readonly string[], options: NodeExecOptions = {}): Promise<NodeExecResult> {
    const agent = this.agentFor(node);
    // Counted before the wait: an agent replaced meanwhile is not deleted under this command.
    agent.running++;
    try {
      return await this.execIn(await agent.ready, argv, options);
    } finally {
      agent.running--;
      if (agent.retired && agent.running === 0) this.remove(agent);
    }
  }

  private execIn(pod: string, argv: readonly string[], options: NodeExecOptions): Promise<NodeExecResult> {
    // The node's coreutils `timeout` ends what the host stopped waiting for (the API cannot kill an exec).
    const inNode = options.timeoutMs === undefined ? argv : ['timeout', '--kill-after=2', String(Math.ceil(options.timeoutMs / 1000) + 2), ...argv];
    const signal = options.signal ?? this.options.signal;
    return this.kube.execInPod(AGENT_NAMESPACE, pod, AGENT_CONTAINER, ['chroot', AGENT_HOST_ROOT, ...inNode], { ...options, ...(signal ? { signal } : {}) });
  }

  /** All of them in one exec, under the node's `sh` (command-sections.ts). */
  async execEach(node: string, argvs: readonly (readonly string[])[], options: NodeExecOptions = {}): Promise<NodeExecResult[]> {
    if (argvs.length < 2) return Promise.all(argvs.map((argv) => this.exec(node, argv, options)));
    const { sections, error } = await runInSections(
      (argv) => this.exec(node, argv, options),
      argvs,
      (argv) => this.command(node, argv),
    );
    if (sections) return sections;
    throw error();
  }

  /** Deletes this run's agents (also those still being created) and waits until they and their processes are gone. */
  async dispose(): Promise<void> {
    await Promise.allSettled([...[...this.agents.values()].map((a) => a.ready), ...this.retiring]);
    if (this.created === 0) return;
    // No signal: after Ctrl-C this is the cleanup itself (a second Ctrl-C exits at once, abort-on-signals.ts).
    await removeAgentRun(this.kube, this.options.runId, { timeoutMs: this.options.removeTimeoutMs ?? 60_000, pollMs: this.options.pollMs ?? 250 });
  }

  private agentFor(node: string): Agent {
    const now = this.options.now ?? Date.now;
    const current = this.agents.get(node);
    if (current && now() - current.createdAt < AGENT_RENEW_AFTER_MS) return current;
    if (current) {
      debug(`agent ${current.name} is near the end of its lifetime: replaced`);
      current.retired = true;
      if (current.running === 0) this.remove(current);
    }
    const pod = agentPod(this.options, node, this.created++);
    const agent: Agent = { ready: this.start(pod, node), name: pod.metadata!.name!, createdAt: now(), running: 0, retired: false };
    this.agents.set(node, agent);
    return agent;
  }

  /** Deletes a replaced agent once no command runs in it (gracefully; dispose() waits for it with the rest). */
  private remove(agent: Agent): void {
    const deleting = agent.ready.then((name) => this.kube.deletePod(AGENT_NAMESPACE, name));
    deleting.catch((error: unknown) => debug(`failed to delete agent ${agent.name}: ${(error as Error).message}`));
    this.retiring.push(deleting);
  }

  private async start(pod: V1Pod, node: string): Promise<string> {
    const name = pod.metadata!.name!;
    this.options.signal?.throwIfAborted();
    this.deadRunsRemoved ??= removeDeadAgentRuns(this.kube, this.options.runId, {
      timeoutMs: this.options.readyTimeoutMs,
      ...(this.options.pollMs !== undefined ? { pollMs: this.options.pollMs } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.processes ? { processes: this.options.processes } : {}),
    });
    await this.deadRunsRemoved;
    this.options.signal?.throwIfAborted();
    this.names.add(name);
    const started = Date.now();
    await this.kube.create('pod', AGENT_NAMESPACE, pod);
    await waitUntil(
      async () => {
        const seen = await this.kube.read('pod', AGENT_NAMESPACE, name);
        const problem = imageProblem(seen);
        if (problem)
          throw new KindlabError(`agent pod ${AGENT_NAMESPACE}/${name} on ${node} cannot start: ${problem}`, { hint: IMAGE_HINT(this.options.image) });
        if (seen.status?.phase === 'Failed' || seen.status?.phase === 'Succeeded') {
          throw new KindlabError(`agent pod ${AGENT_NAMESPACE}/${name} on ${node} ended: ${stateOf(seen)}`, { hint: 'see `kubectl describe pod` of it' });
        }
        return isReady(seen) ? doneWith(name) : notYet(stateOf(seen));
      },
      {
        what: `agent pod ${AGENT_NAMESPACE}/${name} on ${node} to be Ready`,
        timeoutMs: this.options.readyTimeoutMs,
        intervalMs: this.options.pollMs ?? 200,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        stopOn: (error) => error instanceof KindlabError,
        hint: `the node may be NotReady or full; see \`kubectl describe pod -n ${AGENT_NAMESPACE} ${name}\``,
      },
    );
    debug(`agent ${name} on ${node} ready in ${Date.now() - started} ms`);
    return name;
  }
}

/** One agent pod: Ready (its name) or failed, when it was created, and the commands running in it now. */
interface Agent {
  ready: Promise<string>;
  name: string;
  createdAt: number;
  running: number;
  /** Replaced by a younger agent: deleted once `running` is 0. */
  retired: boolean;
}

const IMAGE_HINT = (image: string) =>
  `the agent runs ${image}, which kindlab's node image holds; on a cluster that pulls, pass --agent-image with an image that has chroot and sleep and that its nodes can pull`;

function imageProblem(pod: V1Pod): string | undefined {
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  if (waiting?.reason && POD_START_FAILURES.has(waiting.reason)) return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  return undefined;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The last state seen, for the timeout message: phase, the container's waiting reason, an unschedulable condition. */
function stateOf(pod: V1Pod): string {
  const container = pod.status?.containerStatuses?.[0]?.state;
  const waiting = container?.waiting;
  const terminated = container?.terminated;
  const detail = waiting
    ? `, waiting: ${waiting.reason ?? ''} ${waiting.message ?? ''}`.trimEnd()
    : terminated
      ? `, terminated: ${terminated.reason ?? ''} exit ${terminated.exitCode}`
      : '';
  return `phase ${pod.status?.phase ?? 'unknown'}${detail}`;
}
