import type { CommandResult, RunOptions } from '../../../src/common/command-runner.js';
import type { ContainerInfo, DockerCli, NetworkInfo, VolumeInfo } from '../../../src/cluster/docker-cli.js';

/** An in-memory Docker daemon at the DockerCli interface: containers, volumes and networks with labels. */
export class FakeDocker implements DockerCli {
  containers: ContainerInfo[] = [];
  volumes: VolumeInfo[] = [];
  networks: NetworkInfo[] = [{ id: 'net-bridge', name: 'bridge', labels: {} }];
  images = new Set<string>();
  log: string[] = [];
  reachable = true;
  /** Answer for `docker exec`. */
  execAnswer: (container: string, command: readonly string[]) => Partial<CommandResult> = () => ({ stdout: 'is healthy' });

  async serverVersion(): Promise<string> {
    if (!this.reachable) throw new Error('Cannot connect to the Docker daemon');
    return '20.10.24+dfsg1';
  }
  async imageExists(ref: string): Promise<boolean> {
    return this.images.has(ref);
  }
  async pullImage(ref: string): Promise<void> {
    this.log.push(`pull ${ref}`);
    // What `docker pull` printed on the offline build machine, with the registry host and resolver redacted.
    throw new Error('Error response from daemon: Get "https://<registry>/v2/": dial tcp: lookup <registry> on <resolver>:53: no such host');
  }
  async networkExists(name: string): Promise<boolean> {
    return this.networks.some((n) => n.name === name);
  }
  async createNetwork(args: readonly string[]): Promise<CommandResult> {
    const name = args.at(-1) as string;
    this.log.push(`network create ${name}`);
    this.networks.push({ id: `net-${name}`, name, labels: {} });
    return { command: 'docker', args, exitCode: 0, stdout: '', stderr: '' };
  }
  async defaultBridgeMtu(): Promise<number | undefined> {
    return 1500;
  }
  async runDetached(args: readonly string[], options: RunOptions = {}): Promise<string> {
    options.signal?.throwIfAborted();
    const name = args[args.indexOf('--name') + 1] as string;
    const labels: Record<string, string> = {};
    args.forEach((a, i) => {
      if (a === '--label') {
        const [k, v] = (args[i + 1] as string).split('=');
        labels[k as string] = v as string;
      }
    });
    this.log.push(`run ${name}`);
    this.addContainer(name, labels);
    return `id-${name}`;
  }
  /** Answer for an attached `docker run` (the kubeadm cert phases). */
  runAnswer: (args: readonly string[]) => Partial<CommandResult> = () => ({});
  rootDirPath = '/var/lib/docker';
  async runAttached(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    options.signal?.throwIfAborted();
    this.log.push(`run --rm ${args.slice(args.indexOf('--entrypoint') + 1).join(' ')}`);
    return { command: 'docker', args: ['run', ...args], exitCode: 0, stdout: '', stderr: '', ...this.runAnswer(args) };
  }
  async rootDir(): Promise<string> {
    return this.rootDirPath;
  }
  async volumeMountpoint(name: string): Promise<string> {
    if (!this.volumes.some((v) => v.name === name)) throw new Error(`Error response from daemon: get ${name}: no such volume`);
    return `${this.rootDirPath}/volumes/${name}/_data`;
  }
  async exec(container: string, command: readonly string[]): Promise<CommandResult> {
    return { command: 'docker', args: ['exec', container, ...command], exitCode: 0, stdout: '', stderr: '', ...this.execAnswer(container, command) };
  }
  async containersWithLabel(key: string, value?: string): Promise<ContainerInfo[]> {
    return this.containers.filter((c) => matches(c.labels, key, value));
  }
  async volumesWithLabel(key: string, value?: string): Promise<VolumeInfo[]> {
    return this.volumes.filter((v) => matches(v.labels, key, value));
  }
  async networksWithLabel(key: string, value?: string): Promise<NetworkInfo[]> {
    return this.networks.filter((n) => matches(n.labels, key, value));
  }
  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    this.log.push(`volume create ${name}`);
    this.volumes.push({ name, labels, createdAt: '2026-11-26T12:00:00Z' });
  }
  async removeContainers(ids: readonly string[]): Promise<void> {
    this.log.push(`rm ${ids.join(' ')}`);
    this.containers = this.containers.filter((c) => !ids.includes(c.id));
  }
  async removeVolumes(names: readonly string[]): Promise<void> {
    if (names.length) this.log.push(`volume rm ${names.join(' ')}`);
    this.volumes = this.volumes.filter((v) => !names.includes(v.name));
  }
  async removeNetworks(ids: readonly string[]): Promise<void> {
    if (ids.length) this.log.push(`network rm ${ids.join(' ')}`);
    this.networks = this.networks.filter((n) => !ids.includes(n.id));
  }

  addContainer(name: string, labels: Record<string, string>, state = 'running'): void {
    this.containers.push({ id: `id-${name}`, name, state, image: 'img', labels, createdAt: '2026-11-26T12:00:00Z', networks: { kind: '172.18.0.9' } });
  }
}

function matches(labels: Record<string, string>, key: string, value?: string): boolean {
  return key in labels && (value === undefined || labels[key] === value);
}
