import type { CommandRunner } from '../common/command-runner.js';
import { ChildProcessCommandRunner } from '../common/child-process-command-runner.js';
import { ExecaDockerCli, type DockerCli } from './docker-cli.js';
import { DockerEngineSocket } from './docker-engine-socket.js';
import { resolveDockerEndpoint } from './resolve-docker-endpoint.js';

/**
 * The Docker seam every command uses: the docker CLI, pinned to the endpoint the docker CLI itself
 * would pick now; listings and inspects of a unix-socket endpoint are read on that socket.
 */
export function defaultDockerCli(runner: CommandRunner = new ChildProcessCommandRunner(), env: NodeJS.ProcessEnv = process.env): DockerCli {
  const endpoint = resolveDockerEndpoint(env);
  const socketPath = DockerEngineSocket.pathOf(endpoint.host);
  return new ExecaDockerCli(runner, endpoint, 'docker', socketPath ? new DockerEngineSocket(socketPath) : undefined);
}
