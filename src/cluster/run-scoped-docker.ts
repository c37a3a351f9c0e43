import { LAB_RUN_LABEL } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';

/**
 * The DockerCli a `lab up` run's steps use: every container and volume they create carries
 * dev.kindlab.run=<runId>, whatever step or helper creates it, so cleanup can find exactly what this
 * run made. Networks are left alone: the only network a run creates is kind's shared `kind` network,
 * which other labs join and which must outlive this run (kind leaves it too).
 */
export function runScopedDocker(docker: DockerCli, runId: string): DockerCli {
  const label = ['--label', `${LAB_RUN_LABEL}=${runId}`];
  const overrides: Partial<DockerCli> = {
    runDetached: (args, options) => docker.runDetached([...label, ...args], options),
    createContainer: (args) => docker.createContainer([...label, ...args]),
    // Throwaway containers (--rm) too: one still running when the run is interrupted is found by its run id.
    runAttached: (args, options) => docker.runAttached([...label, ...args], options),
    createVolume: (name, labels) => docker.createVolume(name, { ...labels, [LAB_RUN_LABEL]: runId }),
    tryAddress: (network, ipv4, image, labels) => docker.tryAddress(network, ipv4, image, { ...labels, [LAB_RUN_LABEL]: runId }),
  };
  return new Proxy(docker, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof DockerCli];
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
