import type { V1Pod } from '@kubernetes/client-node';
import { createDebugLogger } from '../common/debug-logger.js';
import { currentRunOwner, deadRunIds, newRunId, type ProcessTable } from '../common/run-owner.js';
import { doneWith, notYet, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import type { ProbePodOutcome } from './cluster-evidence.js';
import {
  PROBE_NAMESPACE,
  clientPod,
  dnsTargetName,
  dnsTargetPod,
  dnsTargetService,
  dnsTargetServiceName,
  probeSelector,
  type ProbeRun,
} from './probe-pod-manifests.js';
import type { KubeApi } from '../kube/kube-api.js';
import { deleteProbeObjects, listProbeObjects } from './probe-objects.js';

const debug = createDebugLogger('verify');

export interface ProbePodOptions {
  lab: string;
  image: string;
  targets: readonly string[];
  /** Where the DNS target runs. */
  targetHost: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** How often a pod is read (tests pass 1). */
  pollMs?: number;
  /** This run's id, in every object's name and labels (random by default). */
  runId?: string;
  /** Tells whether another run's process is gone (tests pass their own). */
  processes?: ProcessTable;
}

/**
 * Starts the DNS target, then one client pod per target node, waits for them to finish and reads
 * their logs. Everything carries this run's id (names and labels) and is deleted at the end, also
 * when aborted; other runs' objects are left alone unless their process is provably gone.
 */
export async function runProbePods(api: KubeApi, options: ProbePodOptions): Promise<ProbePodOutcome[]> {
  const runId = options.runId ?? newRunId();
  const owner = currentRunOwner(options.processes);
  const run: ProbeRun = { lab: options.lab, runId, ...(owner ? { owner } : {}) };
  const wait = { deadline: Date.now() + options.timeoutMs, intervalMs: options.pollMs ?? 1000, signal: options.signal };
  /*
   * The clients are read every 250 ms: their wait ends within a quarter second of their container's end.
   * The DNS target stays at 1 s: read every 250 ms, the clients started sooner after the Service was
   * made, and 2 of 20 verifies of an ha lab had a client given HTTP 404 (with 1 s, 0 of 20). The cause
   * (test/fixtures/record-unrouted-service.sh): kube-proxy on the client's node had not yet written the
   * new Service's rule, so the connection to its ClusterIP left the node and this machine's network
   * answered it. The later start leaves kube-proxy more time; the second client below covers the rest.
   */
  const clientWait = { ...wait, intervalMs: options.pollMs ?? 250 };
  const service = dnsTargetServiceName(runId);
  await removeDeadRuns(api, run, options.processes);
  try {
    await api.create('service', PROBE_NAMESPACE, dnsTargetService(run));
    await api.create('pod', PROBE_NAMESPACE, dnsTargetPod(run, options.image, options.targetHost));
    const target = await waitFor(api, service, (pod) => isReady(pod) || isFinished(pod), wait);
    debug(`dns target ${service}: ${target.status?.phase}, ready ${isReady(target)}`);

    const startClient = async (node: string, index: number, attempt: 1 | 2) => {
      const pod = clientPod(run, options.image, node, index, attempt);
      await api.create('pod', PROBE_NAMESPACE, pod);
      return pod.metadata!.name!;
    };
    const finished = async (name: string, node: string) => outcomeOf(api, await waitFor(api, name, isFinished, clientWait), name, node, service);
    const names = await Promise.all(options.targets.map(async (node, index) => ({ node, index, name: await startClient(node, index, 1) })));
    return await Promise.all(
      names.map(async ({ node, index, name }) => {
        const first = await finished(name, node);
        if (first.phase !== 'Failed' || Date.now() >= wait.deadline) return first;
        /*
         * A client that ran and failed gets one more pod on its node. Seen three times (2 of 20 verifies
         * of an ha lab; once in an e2e run on a multi lab right after a hosted lab was removed from it):
         * etcdctl got HTTP 404 without a content type, while the target was Ready and its EndpointSlice
         * ready. Reproduced by freezing kube-proxy (test/fixtures/record-unrouted-service.sh): until
         * kube-proxy on the client's node writes the new Service's rule, its ClusterIP is routed out of
         * the node, and this machine's network answers any address with HTTP/2 404 (elsewhere the dial
         * waits, and etcdctl connects once the rule is there). The API says nothing of kube-proxy's
         * progress, so the second pod, seconds later, is the wait. A fault of DNS, of the Service or of
         * kube-proxy fails both.
         */
        debug(`probe ${name} on ${node} failed (exit ${first.exitCode}): one more client`);
        const second = await finished(await startClient(node, index, 2), node);
        const { pod, phase, exitCode, log } = first;
        return { ...second, firstAttempt: { pod, phase, ...(exitCode !== undefined ? { exitCode } : {}), log } };
      }),
    );
  } finally {
    await deleteProbeObjects(api, PROBE_NAMESPACE, probeSelector(run.lab, runId)).catch((error: unknown) => debug('cleanup of probe pods failed', error));
  }
}

/**
 * Leftovers of a verify that was killed (SIGKILL, a crash, a reboot): deleted only when their
 * owner process is provably gone, so a verify running at the same time keeps its pods. Best effort:
 * a failure here must not fail this run.
 */
async function removeDeadRuns(api: KubeApi, run: ProbeRun, processes: ProcessTable | undefined): Promise<void> {
  try {
    const objects = await listProbeObjects(api, PROBE_NAMESPACE, probeSelector(run.lab));
    for (const dead of deadRunIds(objects, run.runId, processes)) {
      debug(`removing the probe objects of verify run ${dead}: its process is gone`);
      await deleteProbeObjects(api, PROBE_NAMESPACE, probeSelector(run.lab, dead));
    }
  } catch (error) {
    debug('failed to remove the probe objects of dead verify runs', error);
  }
}

async function outcomeOf(api: KubeApi, pod: V1Pod, name: string, targetNode: string, service: string): Promise<ProbePodOutcome> {
  const terminated = terminatedOf(pod);
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  let log = '';
  if (terminated) {
    log = await api.podLog(PROBE_NAMESPACE, name, { tailLines: 20 }).catch((error: unknown) => `(log not readable: ${(error as Error).message})`);
  } else if (waiting) {
    log = `waiting: ${waiting.reason ?? ''} ${waiting.message ?? ''}`.trim();
  } else {
    const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unschedulable) log = `not scheduled: ${unschedulable.reason ?? ''} ${unschedulable.message ?? ''}`.trim();
  }
  return {
    pod: `${PROBE_NAMESPACE}/${name}`,
    targetNode,
    ...(pod.spec?.nodeName ? { scheduledNode: pod.spec.nodeName } : {}),
    phase: phaseOf(pod),
    ...(terminated ? { exitCode: terminated.exitCode } : {}),
    log,
    dnsName: dnsTargetName(service),
  };
}

/**
 * Reads the pod until it satisfies `done` or the deadline passes; returns the last state seen either
 * way (a pod that never finished is a finding of verify, not an error of it).
 */
async function waitFor(
  api: KubeApi,
  name: string,
  done: (pod: V1Pod) => boolean,
  wait: { deadline: number; intervalMs: number; signal: AbortSignal | undefined },
): Promise<V1Pod> {
  let last: V1Pod | undefined;
  try {
    return await waitUntil(
      async () => {
        last = await api.read('pod', PROBE_NAMESPACE, name);
        return done(last) ? doneWith(last) : notYet(`phase ${last.status?.phase ?? 'unknown'}`);
      },
      { what: `probe pod ${name}`, ...wait },
    );
  } catch (error) {
    if (error instanceof WaitTimeoutError && last) return last;
    throw error;
  }
}

/**
 * A probe pod has finished once its one container has terminated: the kubelet reports that about a
 * second before it sets the pod's phase (seen on a real lab: Pending with the container terminated,
 * test/fixtures/verify/raw/probe-pod-states.json), and logs and exit code are there already.
 */
function isFinished(pod: V1Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || terminatedOf(pod) !== undefined;
}

const terminatedOf = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.terminated;

/**
 * The pod's phase; for a pod whose one container has terminated before the kubelet set the phase, the
 * phase it is about to get: with restartPolicy Never, Succeeded when the container exited 0, else Failed
 * (Kubernetes' definition of the two phases).
 */
function phaseOf(pod: V1Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  const terminated = terminatedOf(pod);
  if (!terminated || phase === 'Succeeded' || phase === 'Failed') return phase;
  return terminated.exitCode === 0 ? 'Succeeded' : 'Failed';
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
