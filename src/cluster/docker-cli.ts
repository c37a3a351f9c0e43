import type { CommandResult, CommandRunner, RunOptions } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';

export interface ContainerInfo {
  id: string;
  name: string;
  state: string;
  image: string;
  labels: Record<string, string>;
  createdAt: string;
  /** IPv4 address per attached network. */
  networks: Record<string, string>;
}

export interface VolumeInfo {
  name: string;
  labels: Record<string, string>;
  createdAt: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * The Docker operations `lab up/down/list/status` need. Implemented over the docker CLI (like kind
 * itself) so unit tests can check the exact argv through an injected CommandRunner.
 */
export interface DockerCli {
  serverVersion(): Promise<string>;
  imageExists(ref: string): Promise<boolean>;
  pullImage(ref: string, options?: RunOptions): Promise<void>;
  networkExists(name: string): Promise<boolean>;
  /** Arguments after `docker network create`. */
  createNetwork(args: readonly string[]): Promise<CommandResult>;
  defaultBridgeMtu(): Promise<number | undefined>;
  /** Arguments after `docker run`; returns the container id. */
  runDetached(args: readonly string[], options?: RunOptions): Promise<string>;
  /** Arguments after `docker create`; resolves with the exit code (a name conflict is an answer, not a crash). */
  createContainer(args: readonly string[]): Promise<CommandResult>;
  /** Arguments after `docker run`, attached (pass `--rm` for a throwaway container); resolves when it exits. */
  runAttached(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** The daemon's data root (`docker info` DockerRootDir), where the local driver keeps volumes. */
  rootDir(): Promise<string>;
  /** Where the daemon keeps a volume's data on its host (`docker volume inspect` Mountpoint). */
  volumeMountpoint(name: string): Promise<string>;
  exec(container: string, command: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Containers (running or not) carrying `key=value` (or just `key` when value is undefined). */
  containersWithLabel(key: string, value?: string): Promise<ContainerInfo[]>;
  volumesWithLabel(key: string, value?: string): Promise<VolumeInfo[]>;
  networksWithLabel(key: string, value?: string): Promise<NetworkInfo[]>;
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  removeContainers(ids: readonly string[]): Promise<void>;
  removeVolumes(names: readonly string[]): Promise<void>;
  removeNetworks(ids: readonly string[]): Promise<void>;
}

export class ExecaDockerCli implements DockerCli {
  constructor(
    private readonly runner: CommandRunner,
    private readonly docker = 'docker',
  ) {}

  async serverVersion(): Promise<string> {
    const result = await this.runner.run(this.docker, ['version', '--format', '{{.Server.Version}}'], { allowFailure: true, timeoutMs: 20_000 });
    if (result.exitCode !== 0 || result.stdout.trim() === '') {
      throw new KindlabError(`failed to reach the Docker daemon: ${lastLine(result.stderr) || 'no server version'}`, {
        hint: 'run `lab host prepare` to install and start Docker',
      });
    }
    return result.stdout.trim();
  }

  async imageExists(ref: string): Promise<boolean> {
    const result = await this.runner.run(this.docker, ['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true });
    return result.exitCode === 0;
  }

  async pullImage(ref: string, options: RunOptions = {}): Promise<void> {
    await this.runner.run(this.docker, ['pull', ref], options);
  }

  async networkExists(name: string): Promise<boolean> {
    const result = await this.runner.run(this.docker, ['network', 'inspect', '--format', '{{.Name}}', name], { allowFailure: true });
    return result.exitCode === 0 && result.stdout.trim() === name;
  }

  createNetwork(args: readonly string[]): Promise<CommandResult> {
    return this.runner.run(this.docker, ['network', 'create', ...args], { allowFailure: true });
  }

  async defaultBridgeMtu(): Promise<number | undefined> {
    const result = await this.runner.run(
      this.docker,
      ['network', 'inspect', 'bridge', '-f', '{{ index .Options "com.docker.network.driver.mtu" }}'],
      { allowFailure: true },
    );
    const mtu = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isInteger(mtu) && mtu > 0 ? mtu : undefined;
  }

  async runDetached(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.runner.run(this.docker, ['run', '--detach', ...args], options);
    return result.stdout.trim();
  }

  createContainer(args: readonly string[]): Promise<CommandResult> {
    return this.runner.run(this.docker, ['create', ...args], { allowFailure: true });
  }

  runAttached(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.runner.run(this.docker, ['run', ...args], options);
  }

  async rootDir(): Promise<string> {
    const result = await this.runner.run(this.docker, ['info', '--format', '{{.DockerRootDir}}'], { timeoutMs: 20_000 });
    return result.stdout.trim();
  }

  async volumeMountpoint(name: string): Promise<string> {
    const result = await this.runner.run(this.docker, ['volume', 'inspect', '--format', '{{.Mountpoint}}', name]);
    return result.stdout.trim();
  }

  exec(container: string, command: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.runner.run(this.docker, ['exec', container, ...command], options);
  }

  async containersWithLabel(key: string, value?: string): Promise<ContainerInfo[]> {
    const ids = await this.listIds(['ps', '--all', '--no-trunc', '--filter', labelFilter(key, value), '--format', '{{.ID}}']);
    if (ids.length === 0) return [];
    const inspected = await this.inspect(['container', 'inspect', ...ids]);
    return inspected.map(toContainerInfo);
  }

  async volumesWithLabel(key: string, value?: string): Promise<VolumeInfo[]> {
    const names = await this.listIds(['volume', 'ls', '--filter', labelFilter(key, value), '--format', '{{.Name}}']);
    if (names.length === 0) return [];
    const inspected = await this.inspect(['volume', 'inspect', ...names]);
    return inspected.map((v) => ({
      name: String(v.Name),
      labels: (v.Labels ?? {}) as Record<string, string>,
      createdAt: String(v.CreatedAt ?? ''),
    }));
  }

  async networksWithLabel(key: string, value?: string): Promise<NetworkInfo[]> {
    const ids = await this.listIds(['network', 'ls', '--no-trunc', '--filter', labelFilter(key, value), '--format', '{{.ID}}']);
    if (ids.length === 0) return [];
    const inspected = await this.inspect(['network', 'inspect', ...ids]);
    return inspected.map((n) => ({ id: String(n.Id), name: String(n.Name), labels: (n.Labels ?? {}) as Record<string, string> }));
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    const labelArgs = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await this.runner.run(this.docker, ['volume', 'create', ...labelArgs, name]);
  }

  async removeContainers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // -v: the anonymous /var volumes kind gives every node go with them.
    const result = await this.runner.run(this.docker, ['rm', '--force', '--volumes', ...ids], { allowFailure: true });
    if (result.exitCode !== 0 && !/No such container/i.test(result.stderr)) {
      throw new KindlabError(`failed to remove containers ${ids.join(', ')}: ${lastLine(result.stderr)}`);
    }
  }

  async removeVolumes(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const result = await this.runner.run(this.docker, ['volume', 'rm', '--force', ...names], { allowFailure: true });
    if (result.exitCode !== 0) throw new KindlabError(`failed to remove volumes ${names.join(', ')}: ${lastLine(result.stderr)}`);
  }

  async removeNetworks(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const result = await this.runner.run(this.docker, ['network', 'rm', ...ids], { allowFailure: true });
    if (result.exitCode !== 0 && !/No such network|not found/i.test(result.stderr)) {
      throw new KindlabError(`failed to remove networks ${ids.join(', ')}: ${lastLine(result.stderr)}`);
    }
  }

  private async listIds(args: string[]): Promise<string[]> {
    const result = await this.runner.run(this.docker, args);
    return result.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  private async inspect(args: string[]): Promise<Array<Record<string, unknown>>> {
    // Something listed a moment ago may be gone now (a concurrent `lab down`): inspect what is left.
    const result = await this.runner.run(this.docker, args, { allowFailure: true });
    const text = result.stdout.trim();
    return text ? (JSON.parse(text) as Array<Record<string, unknown>>) : [];
  }
}

function labelFilter(key: string, value?: string): string {
  return value === undefined ? `label=${key}` : `label=${key}=${value}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

interface InspectedContainer {
  Id?: string;
  Name?: string;
  Created?: string;
  State?: { Status?: string };
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> | null };
}

function toContainerInfo(raw: Record<string, unknown>): ContainerInfo {
  const c = raw as InspectedContainer;
  const networks: Record<string, string> = {};
  for (const [name, net] of Object.entries(c.NetworkSettings?.Networks ?? {})) networks[name] = net.IPAddress ?? '';
  return {
    id: String(c.Id ?? ''),
    name: String(c.Name ?? '').replace(/^\//, ''),
    state: String(c.State?.Status ?? 'unknown'),
    image: String(c.Config?.Image ?? ''),
    labels: c.Config?.Labels ?? {},
    createdAt: String(c.Created ?? ''),
    networks,
  };
}
