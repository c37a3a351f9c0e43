import { CommandError, type CommandResult, type RunOptions } from '../../../src/common/command-runner.js';
import type {
  ContainerInfo,
  ContainerStatsSample,
  DockerCli,
  ImageInfo,
  LabelledObject,
  ListedContainer,
  NetworkAddresses,
  NetworkInfo,
  VolumeInfo,
} from '../../../src/docker/docker-cli.js';
import { readFileSync } from 'node:fs';
import type { DockerEndpoint } from '../../../src/docker/resolve-docker-endpoint.js';
import type { KindCli } from '../../../src/cluster/kind-cli.js';

/** Docker 20.10.24 refusing `--ip` on a network whose IPv4 subnet it picked itself. */
const IP_REFUSED_FIXTURE = new URL('../../fixtures/lab-stop-start/start-ip-refused.txt', import.meta.url);

/** The endpoint unit tests pin: the default context, as resolved with no DOCKER_HOST, DOCKER_CONTEXT or config. */
export const TEST_DOCKER_ENDPOINT: DockerEndpoint = {
  host: 'unix:///var/run/docker.sock',
  context: 'default',
  source: 'the default context',
  env: { DOCKER_CONTEXT: 'default', DOCKER_HOST: undefined, DOCKER_CONFIG: '/root/.docker' },
};

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

  readonly endpoint: DockerEndpoint = TEST_DOCKER_ENDPOINT;
  /** Answer for any other docker command (`run`). */
  runCommandAnswer: (args: readonly string[]) => Partial<CommandResult> = () => ({});
  statsAnswer: (id: string) => ContainerStatsSample | undefined = () => ({ memoryBytes: 300 * 2 ** 20, memoryLimitBytes: 2 ** 34, cpuPercent: 1.5, pids: 42 });

  async run(args: readonly string[]): Promise<CommandResult> {
    this.log.push(args.join(' '));
    return { command: 'docker', args, exitCode: 0, stdout: '', stderr: '', ...this.runCommandAnswer(args) };
  }
  async imageInfo(ref: string): Promise<ImageInfo | undefined> {
    return this.images.has(ref) ? { id: `sha256:${ref.length}`, sizeBytes: 1, created: '2026-11-26T12:00:00Z', labels: {} } : undefined;
  }
  async stats(ids: readonly string[]): Promise<Map<string, ContainerStatsSample>> {
    const samples = new Map<string, ContainerStatsSample>();
    for (const id of ids) {
      const sample = this.containers.some((c) => c.id === id && c.state === 'running') ? this.statsAnswer(id) : undefined;
      if (sample) samples.set(id, sample);
    }
    return samples;
  }
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
    if (name.startsWith('kindlab-subnet-probe-')) {
      this.networks.push({ id: `net-${name}`, name, labels: {} });
      return { command: 'docker', args, exitCode: 0, stdout: '', stderr: '' };
    }
    this.log.push(`network create ${name}`);
    this.networks.push({ id: `net-${name}`, name, labels: labelsOf(args) });
    return { command: 'docker', args, exitCode: 0, stdout: '', stderr: '' };
  }
  async defaultBridgeMtu(): Promise<number | undefined> {
    return 1500;
  }
  /** The kind network's IPv4 subnet, as `docker network inspect kind` showed it on the build machine. */
  kindSubnet = '172.18.0.0/16';
  async networkAddresses(name: string): Promise<NetworkAddresses> {
    if (!name.startsWith('kindlab-subnet-probe-')) this.log.push(`network addresses ${name}`);
    const on = this.containers.map((c) => c.networks[name]).filter((n) => n !== undefined);
    const network = this.networks.find((n) => n.name === name);
    const id = network?.id ?? `net-${name}`;
    return { id, labels: network?.labels ?? {}, subnet: this.kindSubnet, taken: [...new Set(on.flatMap((n) => [n.ipv4, n.pinnedIpv4 ?? '']).filter(Boolean))] };
  }
  /** When set, the daemon refuses `--ip` on the kind network (a network whose IPv4 subnet Docker picked itself). */
  refusesIp = false;
  async tryAddress(network: string, ipv4: string, image: string, labels: Record<string, string>): Promise<CommandResult> {
    this.log.push(
      `try address ${network} ${ipv4} ${image} ${Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
    const args = ['start', '--attach', 'probe'];
    // Recorded: test/fixtures/lab-stop-start/start-ip-refused.txt.
    if (this.refusesIp) return { command: 'docker', args, exitCode: 1, stdout: '', stderr: readFileSync(IP_REFUSED_FIXTURE, 'utf8') };
    return { command: 'docker', args, exitCode: 0, stdout: '', stderr: '' };
  }
  async pinAddress(container: string, network: string, ipv4: string): Promise<void> {
    this.log.push(`pin ${container} ${network} ${ipv4}`);
    const found = this.containers.find((c) => c.id === container || c.name === container);
    if (!found || found.state === 'running') throw new Error(`fake docker: pin of ${container}, which is not a stopped container`);
    found.networks[network] = { ipv4: '', ipv6: '', pinnedIpv4: ipv4 };
  }
  /** Like Docker: a stopped container gives its address back; it starts on its pinned one, or on the lowest free one. */
  async stopContainers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const stopped = ids.map((id) => this.containerById(id));
    this.log.push(`stop ${stopped.map((c) => c.name).join(' ')}`);
    exit(stopped, 0);
  }
  /** What `docker top` lists for a running container (stop-node-containers.ts watches it); by default nothing. */
  processNames: (id: string) => string[] = () => [];
  async containerProcessNames(id: string): Promise<string[] | undefined> {
    return this.containerById(id).state === 'running' ? this.processNames(id) : undefined;
  }
  async killContainers(ids: readonly string[]): Promise<void> {
    const running = ids.map((id) => this.containerById(id)).filter((c) => c.state === 'running');
    if (running.length === 0) return;
    this.log.push(`kill ${running.map((c) => c.name).join(' ')}`);
    exit(running, 137);
  }
  async startContainers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const started = ids.map((id) => this.containerById(id));
    this.log.push(`start ${started.map((c) => c.name).join(' ')}`);
    const held = new Set(this.containers.filter((c) => c.state === 'running').flatMap((c) => Object.values(c.networks).map((n) => n.ipv4)));
    if (started.some((c) => Object.values(c.networks).some((n) => n.pinnedIpv4 && held.has(n.pinnedIpv4)))) {
      // Recorded on Docker 20.10.24: `docker start hs-a` after `docker run --ip <hs-a's pinned address> --name hs-b` (exit 1).
      const stderr = `Error response from daemon: Address already in use\nError: failed to start containers: ${ids.join(', ')}`;
      throw new CommandError('docker', ['start', ...ids], { command: 'docker', args: ['start', ...ids], exitCode: 1, stdout: '', stderr });
    }
    for (const c of started) {
      c.state = 'running';
      c.status = 'Up 1 second';
      c.startedAt = this.startTime(c.name);
      for (const net of Object.values(c.networks)) net.ipv4 = net.pinnedIpv4 ?? this.lowestFreeAddress();
    }
  }
  /** When `docker start` starts a container (State.StartedAt). */
  startTime: (name: string) => string = () => '2026-11-26T12:00:00Z';
  private lowestFreeAddress(): string {
    const used = new Set(this.containers.flatMap((c) => Object.values(c.networks).map((n) => n.ipv4)));
    for (let i = 2; ; i++) if (!used.has(`172.18.0.${i}`)) return `172.18.0.${i}`;
  }
  private containerById(id: string): ContainerInfo {
    const found = this.containers.find((c) => c.id === id);
    if (!found) throw new Error(`Error response from daemon: No such container: ${id}`);
    return found;
  }
  async runDetached(args: readonly string[], options: RunOptions = {}): Promise<string> {
    options.signal?.throwIfAborted();
    const name = args[args.indexOf('--name') + 1] as string;
    if (this.containers.some((c) => c.name === name)) throw new Error(`Conflict. The container name "/${name}" is already in use`);
    this.log.push(`run ${name}`);
    this.addContainer(name, labelsOf(args));
    const ip = args.includes('--ip') ? (args[args.indexOf('--ip') + 1] as string) : undefined;
    if (ip) this.containers.at(-1)!.networks.kind = { ipv4: ip, ipv6: '', pinnedIpv4: ip };
    return `id-${name}`;
  }
  /** Like the daemon: container names are unique, a second create of one is a Conflict. */
  async createContainer(args: readonly string[]): Promise<CommandResult> {
    const name = args[args.indexOf('--name') + 1] as string;
    const taken = this.containers.find((c) => c.name === name);
    if (taken) {
      // Recorded on Docker 20.10.24: `docker create --name own-conflict-probe --network none
      // kindlab/host-probe:3d9f2889d678` twice; the second exits 1 with this line.
      const stderr = `Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`;
      return { command: 'docker', args: ['create', ...args], exitCode: 1, stdout: '', stderr };
    }
    this.log.push(`create ${name}`);
    this.addContainer(name, labelsOf(args), 'created');
    return { command: 'docker', args: ['create', ...args], exitCode: 0, stdout: `id-${name}\n`, stderr: '' };
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
    return this.containers.filter((c) => matches(c.labels, key, value) && !this.creating.has(c.id));
  }
  /** Containers the daemon lists but does not yet inspect or remove (still being created): they stay in `containers`. */
  creating = new Set<string>();
  async listContainersWithLabel(key: string, value?: string): Promise<Array<Pick<ContainerInfo, 'id' | 'name' | 'state'>>> {
    return this.containers.filter((c) => matches(c.labels, key, value)).map(({ id, name, state }) => ({ id, name, state }));
  }
  async listAllContainers(labelKeys: readonly string[]): Promise<ListedContainer[]> {
    return this.containers.map((c) => ({
      id: c.id,
      status: c.status,
      labels: Object.fromEntries(labelKeys.filter((key) => c.labels[key]).map((key) => [key, c.labels[key]!])),
    }));
  }
  async inspectContainers(listed: readonly ListedContainer[]): Promise<ContainerInfo[]> {
    return this.containers.filter((c) => listed.some((l) => l.id === c.id) && !this.creating.has(c.id));
  }
  async listVolumes(key: string, labelKeys: readonly string[]): Promise<LabelledObject[]> {
    return this.volumes
      .filter((v) => matches(v.labels, key))
      .map((v) => ({ name: v.name, labels: Object.fromEntries(labelKeys.filter((k) => v.labels[k]).map((k) => [k, v.labels[k]!])) }));
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
    // Like `docker rm --force` of a container still being created: "No such container", exit 0, and it stays.
    this.containers = this.containers.filter((c) => !ids.includes(c.id) || this.creating.has(c.id));
  }
  /** Like the daemon: only a running container can be paused, only a paused one unpaused. */
  async pauseContainers(ids: readonly string[]): Promise<void> {
    this.setState(ids, 'running', 'paused');
  }
  async unpauseContainers(ids: readonly string[]): Promise<void> {
    this.setState(ids, 'paused', 'running');
  }
  private setState(ids: readonly string[], from: string, to: string): void {
    if (ids.length === 0) return;
    this.log.push(`${to === 'paused' ? 'pause' : 'unpause'} ${ids.join(' ')}`);
    for (const id of ids) {
      const container = this.containers.find((c) => c.id === id);
      if (container?.state !== from) throw new Error(`Error response from daemon: container ${id} is not ${from}`);
      container.state = to;
    }
  }
  async removeVolumes(names: readonly string[]): Promise<void> {
    if (names.length) this.log.push(`volume rm ${names.join(' ')}`);
    this.volumes = this.volumes.filter((v) => !names.includes(v.name));
  }
  async removeNetworks(ids: readonly string[]): Promise<void> {
    const logged = ids.filter((id) => !id.startsWith('kindlab-subnet-probe-'));
    if (logged.length) this.log.push(`network rm ${logged.join(' ')}`);
    this.networks = this.networks.filter((n) => !ids.includes(n.id) && !ids.includes(n.name));
  }

  addContainer(name: string, labels: Record<string, string>, state = 'running'): void {
    this.containers.push({
      id: `id-${name}`,
      name,
      state,
      image: 'img',
      labels,
      createdAt: '2026-11-26T12:00:00Z',
      networks: { kind: { ipv4: '172.18.0.9', ipv6: '' } },
      status: state === 'running' ? 'Up 2 minutes' : 'Created',
      ports: {},
    });
  }
}

function labelsOf(args: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a === '--label') {
      const text = args[i + 1] as string;
      const eq = text.indexOf('=');
      labels[text.slice(0, eq)] = text.slice(eq + 1);
    }
  });
  return labels;
}

function matches(labels: Record<string, string>, key: string, value?: string): boolean {
  return key in labels && (value === undefined || labels[key] === value);
}

/** kind at the KindCli edge for deletes: records (name, kubeconfig) and removes the cluster's nodes from the fake daemon. */
export function fakeKind(docker: FakeDocker, calls: Array<[string, string | undefined]>): KindCli {
  return {
    path: 'kind',
    version: async () => 'kind v0.30.0',
    createCluster: async () => undefined,
    getKubeconfig: async () => '',
    deleteCluster: async (name, kubeconfig) => {
      calls.push([name, kubeconfig]);
      docker.containers = docker.containers.filter((c) => c.labels['io.x-k8s.kind.cluster'] !== name);
    },
  };
}

/** Containers that have just exited with `code`: like Docker, each gives its address back. */
function exit(containers: readonly ContainerInfo[], code: number): void {
  for (const c of containers) {
    c.state = 'exited';
    c.status = `Exited (${code}) 1 second ago`;
    for (const net of Object.values(c.networks)) net.ipv4 = '';
  }
}
