import Docker from 'dockerode';
import { pingDockerDaemon } from '../inspect/docker/ping-docker-daemon.js';
export { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';

/** The daemon from DOCKER_HOST or the default socket, answering, or one clear error. */
export async function connectDocker(): Promise<Docker> {
  const docker = new Docker();
  await pingDockerDaemon(docker);
  return docker;
}
