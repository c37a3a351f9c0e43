import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { DockerCli } from '../docker/docker-cli.js';
export { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';

/**
 * The daemon the docker CLI would use (DOCKER_HOST, DOCKER_CONTEXT, the current context), answering,
 * or one clear error naming it: one cheap call before inspect/report/verify/tour start, so a daemon
 * that is down is not a failure in the middle of the work.
 */
export async function connectDocker(): Promise<DockerCli> {
  const docker = defaultDockerCli();
  await docker.serverVersion();
  return docker;
}
