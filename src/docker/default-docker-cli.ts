import type { CommandRunner } from '../common/command-runner.js';
import { ChildProcessCommandRunner } from '../common/child-process-command-runner.js';
import { ExecaDockerCli, type DockerCli } from './docker-cli.js';
import { resolveDockerEndpoint } from './resolve-docker-endpoint.js';

/** The Docker seam every command uses: the docker CLI, pinned to the endpoint the docker CLI itself would pick now. */
export function defaultDockerCli(runner: CommandRunner = new ChildProcessCommandRunner(), env: NodeJS.ProcessEnv = process.env): DockerCli {
  return new ExecaDockerCli(runner, resolveDockerEndpoint(env));
}
