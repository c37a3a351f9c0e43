import type { CommandRunner } from '../common/command-runner.js';
import { createDockerLabelShim, type DockerLabelShim } from './docker-label-shim.js';

export interface CreateClusterOptions {
  name: string;
  /** The rendered config, given to kind on stdin (`--config -`, supported by kind v0.30.0's configOption). */
  configYaml: string;
  image: string;
  kubeconfig: string;
  /** Put on every container kind creates (its nodes and load balancer): dev.kindlab.lab and dev.kindlab.run. */
  labels: { lab: string; runId: string };
  /** Container name -> the IPv4 address the shim pins it to on the kind network (lab-addresses.ts). */
  addresses?: Record<string, string>;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** The kind binary, as kindlab drives it. */
export interface KindCli {
  readonly path: string;
  version(): Promise<string>;
  createCluster(options: CreateClusterOptions): Promise<void>;
  /** Deletes nodes and removes the cluster's context from the kubeconfig (kind's delete.Cluster does both). */
  deleteCluster(name: string, kubeconfig: string | undefined): Promise<void>;
  /** The admin kubeconfig for the host (server https://127.0.0.1:<port>). */
  getKubeconfig(name: string): Promise<string>;
}

export class ExecaKindCli implements KindCli {
  constructor(
    private readonly runner: CommandRunner,
    readonly path: string,
    /** The pinned Docker endpoint (DockerCli.endpoint.env): kind and the label shim reach the daemon kindlab reaches. */
    private readonly dockerEnv: Record<string, string | undefined> = {},
    private readonly makeShim: (lab: string, runId: string, addresses?: Record<string, string>) => Promise<DockerLabelShim> = createDockerLabelShim,
  ) {}

  async version(): Promise<string> {
    const result = await this.runner.run(this.path, ['version'], { timeoutMs: 20_000, env: this.dockerEnv });
    return result.stdout.trim();
  }

  async createCluster(options: CreateClusterOptions): Promise<void> {
    const shim = await this.makeShim(options.labels.lab, options.labels.runId, options.addresses);
    try {
      await this.runner.run(this.path, createClusterArgs(options), {
        input: options.configYaml,
        env: { ...this.dockerEnv, ...shim.env },
        signal: options.signal,
        onLine: options.onLine,
      });
    } finally {
      shim.dispose();
    }
  }

  async deleteCluster(name: string, kubeconfig: string | undefined): Promise<void> {
    await this.runner.run(this.path, ['delete', 'cluster', '--name', name, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])], { env: this.dockerEnv });
  }

  async getKubeconfig(name: string): Promise<string> {
    const result = await this.runner.run(this.path, ['get', 'kubeconfig', '--name', name], { env: this.dockerEnv });
    return result.stdout;
  }
}

/*
 * No --wait for kind: its wait covers only the control plane. The whole `lab up --wait` budget goes
 * to kindlab's own "nodes Ready" and "kube-system pods Ready" steps, which share one deadline (set
 * when the first starts, see create-lab-steps.ts) and show progress per step.
 * Always --retain: without it a failing kind deletes every container labelled with the cluster
 * NAME (create.go -> delete.Cluster), which could be another run's nodes. kindlab's cleanup removes
 * what this run created by its run id instead (and `lab up --retain` keeps it).
 */
export function createClusterArgs(options: Pick<CreateClusterOptions, 'name' | 'image' | 'kubeconfig'>): string[] {
  return ['create', 'cluster', '--name', options.name, '--config', '-', '--image', options.image, '--kubeconfig', options.kubeconfig, '--retain'];
}
