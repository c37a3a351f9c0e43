import type { CommandRunner } from '../common/command-runner.js';
import { ExecaCommandRunner } from '../common/execa-command-runner.js';
import { ExecaDockerCli, type DockerCli } from './docker-cli.js';
import { resolveDockerEndpoint } from './resolve-docker-endpoint.js';

/** The Docker seam every command uses: the docker CLI, pinned to the endpoint the docker CLI itself would pick now. */
export function defaultDockerCli(runner: CommandRunner = new ExecaCommandRunner(), env: NodeJS.ProcessEnv = process.env): DockerCli {
  return new ExecaDockerCli(runner, resolveDockerEndpoint(env));
}
