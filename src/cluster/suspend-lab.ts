import { KindlabError } from '../common/kindlab-error.js';
import { sleep } from '../common/sleep.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { labRunContainers } from './lab-run-containers.js';

export interface SuspendResult {
  name: string;
  /** The containers frozen by this call (already frozen ones are left as they are). */
  paused: string[];
  alreadyPaused: string[];
}

/**
 * `lab suspend`: freezes every container of the lab with `docker pause` (the cgroup freezer): no
 * process of the lab gets CPU, its memory stays. Idempotent: a frozen lab stays frozen. A lab with a
 * stopped container is refused (a frozen half of a lab would not come back as a whole).
 */
export async function suspendLab(docker: DockerCli, name: string, options: SuspendOptions = {}): Promise<SuspendResult> {
  const containers = await requireLabContainers(docker, name);
  const notUp = containers.filter((c) => c.state !== 'running' && c.state !== 'paused');
  if (notUp.length > 0) {
    throw new KindlabError(`failed to suspend lab ${name}: ${notUp.map((c) => `${c.name} is ${c.state}`).join(', ')}`, {
      hint: `only a running lab can be suspended; see \`lab status ${name}\``,
    });
  }
  const running = containers.filter((c) => c.state === 'running').map((c) => ({ id: c.id, name: c.name }));
  const alreadyPaused = containers.filter((c) => c.state === 'paused').map((c) => c.name);
  await pauseWithRetries(docker, name, running, options);
  return { name, paused: running.map((c) => c.name), alreadyPaused };
}

export interface SuspendOptions {
  /** Attempts of `docker pause` for containers the freezer could not stop (default 5). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** runc's answer when the freezer could not stop every process in time (a busy host, processes forking). */
const UNABLE_TO_FREEZE = /unable to freeze/i;

/**
 * `docker pause` can fail with "unable to freeze" while the host is busy (seen in CI on 2 cores with
 * three labs starting): the freezer gave up on a cgroup whose processes kept changing. That is
 * transient, so the containers not frozen yet are paused again, 1 s apart. If some still resist, the
 * ones this call froze are thawed again, so the lab is left running as a whole rather than half frozen.
 */
async function pauseWithRetries(docker: DockerCli, name: string, targets: ReadonlyArray<{ id: string; name: string }>, options: SuspendOptions): Promise<void> {
  const attempts = options.attempts ?? 5;
  let left = [...targets];
  for (let attempt = 1; left.length > 0; attempt++) {
    try {
      await docker.pauseContainers(left.map((c) => c.id));
      return;
    } catch (error) {
      if (!UNABLE_TO_FREEZE.test(error instanceof Error ? error.message : String(error))) throw error;
      const paused = new Set((await labRunContainers(docker, name)).filter((c) => c.state === 'paused').map((c) => c.id));
      left = left.filter((c) => !paused.has(c.id));
      if (left.length === 0) return;
      if (attempt >= attempts) {
        const frozenByUs = targets.filter((c) => paused.has(c.id)).map((c) => c.id);
        await docker.unpauseContainers(frozenByUs);
        throw new KindlabError(`failed to suspend lab ${name}: ${left.map((c) => c.name).join(', ')} could not be frozen (after ${attempt} attempt(s))`, {
          cause: error,
          hint: `the lab runs as before; try again when the host is less busy (\`lab status ${name}\`)`,
        });
      }
      await (options.sleep ?? sleep)(1000);
    }
  }
}

/** The lab's running containers, or "lab NAME does not exist" (exit 3, as `lab status`). */
export async function requireLabContainers(docker: DockerCli, name: string): Promise<Awaited<ReturnType<typeof labRunContainers>>> {
  const containers = await labRunContainers(docker, name);
  if (containers.length === 0) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
  return containers;
}
