import type { CommandRunner } from '../common/command-runner.js';
import { ChildProcessCommandRunner } from '../common/child-process-command-runner.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { DockerCli } from '../docker/docker-cli.js';
import type { KindCli } from './kind-cli.js';
import { connectHttpsKubeApi } from '../kube/https-kube-api.js';
import type { KubeClientFactory } from '../kube/kube-api.js';

/** The edges of `lab up/down/list/status`; unit tests replace them with fakes. */
export interface LabDeps {
  runner: CommandRunner;
  docker: DockerCli;
  /** Resolves the kind binary lazily, so `lab list` works (without the API part) where kind is missing. */
  kind(): Promise<KindCli>;
  /** Connects to a lab's API with the kubeconfig kind wrote for it. */
  kube: KubeClientFactory;
  now(): Date;
}

/** `docker`: the Docker seam when the command made it already (`lab status` starts listing before it loads the rest). */
export function defaultLabDeps(runner: CommandRunner = new ChildProcessCommandRunner(), docker: DockerCli = defaultDockerCli(runner)): LabDeps {
  let kind: Promise<KindCli> | undefined;
  return {
    runner,
    docker,
    kind: () => (kind ??= locateKind(runner, docker)),
    kube: connectHttpsKubeApi,
    now: () => new Date(),
  };
}

/** Loaded on the first use of kind: `lab status` and `lab list` never need it. */
async function locateKind(runner: CommandRunner, docker: DockerCli): Promise<KindCli> {
  const [{ KindlabError }, { findKind }, { KIND_VERSION }, { ExecaKindCli }] = await Promise.all([
    import('../common/kindlab-error.js'),
    import('../host/find-kind.js'),
    import('../image/image-refs.js'),
    import('./kind-cli.js'),
  ]);
  const found = await findKind(runner);
  if (!found) {
    throw new KindlabError(`failed to find kind ${KIND_VERSION} (not on PATH, not in kindlab's bin directory)`, {
      hint: 'run `lab host prepare` to install it',
    });
  }
  // kind drives the docker CLI: it gets the same pinned endpoint as kindlab's own docker calls.
  return new ExecaKindCli(runner, found.path, docker.endpoint.env);
}
