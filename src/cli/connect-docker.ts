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

/**
 * Runs work against the daemon the docker CLI would use without a call of its own up front (the
 * work's first call answering shows the daemon is up): only when the work fails is the daemon asked
 * for its version, so a daemon that is down still fails with connectDocker's one clear error.
 */
export async function withDocker<T>(work: (docker: DockerCli) => Promise<T>): Promise<T> {
  const docker = defaultDockerCli();
  try {
    return await work(docker);
  } catch (error) {
    await docker.serverVersion();
    throw error;
  }
}
