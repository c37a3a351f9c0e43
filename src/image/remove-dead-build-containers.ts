import type { CommandRunner } from '../common/command-runner.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { IMAGE_BUILD_RUN_LABEL, RUN_OWNER_ANNOTATION } from '../common/labels.js';
import { isRunOwnerGone, type ProcessTable } from '../common/run-owner.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

const debug = createDebugLogger('image');

/**
 * Build containers of builds that were killed (SIGKILL, a crash, a reboot), on this daemon and from
 * any KINDLAB_HOME: removed only when their owner process is provably gone, so a build running in
 * another home keeps its container. Node containers carry both labels blank (the commit blanks
 * them) and never match. Best effort: returns what it removed.
 */
export async function removeDeadBuildContainers(runner: CommandRunner, processes?: ProcessTable): Promise<string[]> {
  const listed = await defaultDockerCli(runner).run(
    [
      'ps',
      '--all',
      '--filter',
      `label=${IMAGE_BUILD_RUN_LABEL}`,
      '--format',
      `{{.ID}}\t{{.Label "${IMAGE_BUILD_RUN_LABEL}"}}\t{{.Label "${RUN_OWNER_ANNOTATION}"}}`,
    ],
    { allowFailure: true },
  );
  const dead = listed.stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([id, run, owner]) => id && run && isRunOwnerGone(owner, processes))
    .map(([id]) => id!);
  for (const id of dead) {
    debug(`removing build container ${id}: the build that made it is gone`);
    await defaultDockerCli(runner).run(['rm', '--force', id], { allowFailure: true });
  }
  return dead;
}
