import { createDebugLogger } from '../common/debug-logger.js';
import { sleep } from '../common/sleep.js';
import type { DockerCli } from '../docker/docker-cli.js';

const debug = createDebugLogger('sweep');

/**
 * Removes every container carrying any of the given labels (key=value), with its anonymous volumes.
 * A `docker run` started by a kind we killed can still land after the first round: sweep until two
 * consecutive rounds, 1 s apart, find nothing. Returns the names removed.
 */
export async function sweepContainers(docker: DockerCli, labels: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
  const removed: string[] = [];
  let quietRounds = 0;
  for (let round = 0; round < 10 && quietRounds < 2; round++) {
    // Rounds 1 s apart: a `docker create` the daemon already accepted shows up within that.
    if (round > 0) await sleep(1000);
    const leftovers = (await Promise.all(labels.map(([key, value]) => docker.containersWithLabel(key, value)))).flat();
    if (leftovers.length === 0) {
      quietRounds++;
      continue;
    }
    quietRounds = 0;
    debug('removing containers', leftovers.map((c) => c.name));
    await docker.removeContainers([...new Set(leftovers.map((c) => c.id))]);
    for (const c of leftovers) if (!removed.includes(c.name)) removed.push(c.name);
  }
  return removed;
}
