import { createDebugLogger } from '../common/debug-logger.js';
import { doneIf, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import type { DockerCli } from '../docker/docker-cli.js';

const debug = createDebugLogger('sweep');

/**
 * Removes every container carrying any of the given labels (key=value), with its anonymous volumes.
 * A `docker run` started by a kind we killed can still land after the first round, or still be
 * creating its container (listed, but "No such container" to inspect and rm for seconds): sweep until two
 * consecutive rounds, 1 s apart, find nothing (for at most 60 s: one `docker rm --force` of a node
 * that ignores its kill takes 12 s before Docker gives up, and another after it is thawed). Returns
 * the names removed; what is still there after that is the caller's to report.
 * No signal: this is the cleanup that Ctrl-C starts.
 */
export async function sweepContainers(docker: DockerCli, labels: ReadonlyArray<readonly [string, string]>, timeoutMs = 60_000): Promise<string[]> {
  const removed: string[] = [];
  let quietRounds = 0;
  try {
    await waitUntil(
      async () => {
        // Listed, not inspected: a container kind's `docker run` is still creating is listed, but not yet
        // inspectable nor removable; it counts until it is gone (docker rm of it is retried each round).
        const leftovers = (await Promise.all(labels.map(([key, value]) => docker.listContainersWithLabel(key, value)))).flat();
        if (leftovers.length === 0) {
          quietRounds++;
        } else {
          quietRounds = 0;
          debug(
            'removing containers',
            leftovers.map((c) => c.name),
          );
          await docker.removeContainers([...new Set(leftovers.map((c) => c.id))]);
          for (const c of leftovers) if (!removed.includes(c.name)) removed.push(c.name);
        }
        return doneIf(quietRounds >= 2, `${quietRounds} quiet round(s), removed so far: ${removed.join(', ') || 'none'}`);
      },
      // Rounds 1 s apart: a `docker create` the daemon already accepted shows up within that.
      // A failing `docker ps` or `docker rm` is an error of the cleanup, not a reason to look again.
      { what: 'no more containers to sweep', timeoutMs, intervalMs: 1000, stopOn: () => true },
    );
  } catch (error) {
    // Containers that keep coming back are reported by the caller's own check of what is left.
    if (!(error instanceof WaitTimeoutError)) throw error;
    debug(error.message);
  }
  return removed;
}
