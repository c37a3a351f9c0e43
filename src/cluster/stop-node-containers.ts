import { createDebugLogger } from '../common/debug-logger.js';
import { doneWith, notYet, waitUntil } from '../common/wait-until.js';
import type { DockerCli } from '../docker/docker-cli.js';

const debug = createDebugLogger('stop');

/**
 * The processes of a lab's containers that keep state on disk: etcd (stacked in a control plane, or
 * the external etcd's own container), and a node's kubelet and containerd. A stop waits for them to
 * exit by themselves.
 */
export const STATEFUL_PROCESSES: readonly string[] = ['etcd', 'kubelet', 'containerd'];

export interface StopNodeContainersOptions {
  /** Docker's timeout: SIGKILL after this, whatever still runs. */
  timeoutSeconds: number;
  signal?: AbortSignal;
  /** How often each container's processes are listed while it stops. */
  pollMs?: number;
}

/**
 * `docker stop` of containers, each killed as soon as none of STATEFUL_PROCESSES runs in it any more.
 * A kind control plane does not end by itself: its systemd stops etcd, the kubelet and containerd
 * within seconds, but kube-apiserver, told to stop while its etcd goes away, waits for it and holds
 * the container until Docker's timeout (recorded by test/fixtures/record-node-stop.sh: etcd gone
 * after 8 s, the stop ended by the kill at 30 s). What is left then keeps nothing on disk. Containers
 * that end by themselves (a worker, the external etcd) are not killed; one with none of those
 * processes (the load balancer) is killed at once.
 */
export async function stopNodeContainers(docker: DockerCli, ids: readonly string[], options: StopNodeContainersOptions): Promise<void> {
  if (ids.length === 0) return;
  const stopping = docker.stopContainers(ids, { timeoutSeconds: options.timeoutSeconds, ...(options.signal ? { signal: options.signal } : {}) });
  // The watches end with the stop (or Ctrl-C); their own outcome never fails the stop, which Docker ends anyway.
  const watching = new AbortController();
  const onAbort = () => watching.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const watches = ids.map((id) => killOnceStateless(docker, id, options, watching.signal));
  try {
    await stopping;
  } finally {
    watching.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled(watches);
  }
}

async function killOnceStateless(docker: DockerCli, id: string, options: StopNodeContainersOptions, signal: AbortSignal): Promise<void> {
  try {
    const running = await waitUntil(
      async (checkSignal) => {
        const names = await docker.containerProcessNames(id, { signal: checkSignal });
        if (names === undefined) return doneWith(false, 'stopped');
        const stateful = names.filter((name) => STATEFUL_PROCESSES.includes(name));
        return stateful.length === 0 ? doneWith(true) : notYet(`running: ${stateful.join(', ')}`);
      },
      {
        what: `${STATEFUL_PROCESSES.join(', ')} to exit in container ${id.slice(0, 12)}`,
        timeoutMs: options.timeoutSeconds * 1000,
        intervalMs: options.pollMs ?? 500,
        signal,
      },
    );
    if (!running) return;
    debug(`container ${id.slice(0, 12)}: ${STATEFUL_PROCESSES.join(', ')} have exited; killed`);
    // Not the watch's signal: the stop ends when this kill does, and must not cancel it.
    await docker.killContainers([id], options.signal ? { signal: options.signal } : {});
  } catch (error) {
    debug(`container ${id.slice(0, 12)}: left to docker stop (${(error as Error).message})`);
  }
}
