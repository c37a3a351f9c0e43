import type { DockerCli } from '../docker/docker-cli.js';
import type { KubeApi, KubeClientFactory } from '../kube/kube-api.js';

/** The edges of `lab up/down --host-cluster`; unit tests replace them with fakes. */
export interface HostedLabDeps {
  /** The host cluster's API, connected with --host-cluster's kubeconfig. */
  host: KubeApi;
  /** Connects to the hosted lab's own API (through the host's node port). */
  kube: KubeClientFactory;
  /**
   * This machine's Docker: the lab's images come from it (`docker save`), and a host cluster that is a
   * kind lab on this daemon gets the pod image from it too. Undefined where no daemon answers.
   */
  docker: DockerCli | undefined;
  /** KINDLAB_HOME: records, kubeconfigs and the saved image tars. */
  home: string;
  now(): Date;
}
