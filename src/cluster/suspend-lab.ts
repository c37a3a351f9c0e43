import { KindlabError } from '../common/kindlab-error.js';
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
export async function suspendLab(docker: DockerCli, name: string): Promise<SuspendResult> {
  const containers = await requireLabContainers(docker, name);
  const notUp = containers.filter((c) => c.state !== 'running' && c.state !== 'paused');
  if (notUp.length > 0) {
    throw new KindlabError(`failed to suspend lab ${name}: ${notUp.map((c) => `${c.name} is ${c.state}`).join(', ')}`, {
      hint: `only a running lab can be suspended; see \`lab status ${name}\``,
    });
  }
  const running = containers.filter((c) => c.state === 'running').map((c) => ({ id: c.id, name: c.name }));
  const alreadyPaused = containers.filter((c) => c.state === 'paused').map((c) => c.name);
  await docker.pauseContainers(running.map((c) => c.id));
  return { name, paused: running.map((c) => c.name), alreadyPaused };
}

/** The lab's running containers, or "lab NAME does not exist" (exit 3, as `lab status`). */
export async function requireLabContainers(docker: DockerCli, name: string): Promise<Awaited<ReturnType<typeof labRunContainers>>> {
  const containers = await labRunContainers(docker, name);
  if (containers.length === 0) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
  return containers;
}
