import { CommandError, type CommandResult, type CommandRunner, type RunOptions } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { dockerLabelArgs } from '../common/labels.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { describeDockerEndpoint, type DockerEndpoint } from './resolve-docker-endpoint.js';
import { labelFilterQuery, type DockerEngineSocket, type ExecAnswer, type ExecStopped } from './docker-engine-socket.js';
import { thawFrozenCgroups } from './thaw-frozen-cgroups.js';

const debug = createDebugLogger('docker');

/** `docker rm --force` of a container whose init does not die (see thawFrozenCgroups). */
const UNKILLABLE = /did not receive an exit event|Could not kill running container/i;

/** What every Docker object kindlab lists has: a name and the labels it is found by. */
export interface LabelledObject {
  name: string;
  labels: Record<string, string>;
}

export interface ContainerInfo extends LabelledObject {
  id: string;
  /** `running`, `exited`, ... (State.Status). */
  state: string;
  /** What `docker ps` shows, e.g. "Up 5 minutes". */
  status: string;
  /** The image name the container was created from (kept when the tag has since moved). */
  image: string;
  /** Host address per published container port, e.g. { "6443/tcp": "127.0.0.1:41235" }. */
  ports: Record<string, string>;
  /** Addresses per attached network ('' when the network gives none of that family). */
  networks: Record<string, { ipv4: string; ipv6: string; pinnedIpv4?: string }>;
  createdAt: string;
  /** When it last started (State.StartedAt, the daemon's clock). */
  startedAt?: string;
  /** Its init's pid on the daemon's host while it runs (State.Pid; absent when 0): where its cgroup can be read. */
  pid?: number;
}

/** A network's id and IPv4 subnet, and every IPv4 address on it in use or pinned (DockerCli.networkAddresses). */
export interface NetworkAddresses {
  id: string;
  subnet: string;
  taken: string[];
  /** The network's labels (none: {}). */
  labels: Record<string, string>;
}

/** One row of `docker ps`: a container's id, its status and the values of the labels asked for. */
export interface ListedContainer {
  id: string;
  status: string;
  /** Only the labels asked for that the container carries (with a non-empty value). */
  labels: Record<string, string>;
}

export interface VolumeInfo extends LabelledObject {
  createdAt: string;
}

export interface NetworkInfo extends LabelledObject {
  id: string;
}

export interface ImageInfo {
  id: string;
  sizeBytes: number;
  created: string;
  labels: Record<string, string>;
}

/** One `docker stats --no-stream` sample. */
export interface ContainerStatsSample {
  memoryBytes: number;
  memoryLimitBytes: number;
  cpuPercent: number;
  pids?: number;
}

/**
 * The one way kindlab reaches Docker, for every command. Implemented over the docker CLI, like kind
 * itself, so both follow `docker context` the same way; every call carries the endpoint resolved
 * once (see resolve-docker-endpoint.ts). Unit tests check the exact argv through an injected
 * CommandRunner or use the in-memory fake (test/unit/support/fake-docker.ts).
 */
export interface DockerCli {
  /** The daemon every call goes to, and the environment that pins it (also handed to kind). */
  readonly endpoint: DockerEndpoint;
  /** Any other docker command (image builds, imports, host probes), with the pinned endpoint. */
  run(args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  serverVersion(): Promise<string>;
  /** `docker image inspect`, or undefined when the reference does not exist locally. */
  imageInfo(ref: string): Promise<ImageInfo | undefined>;
  imageExists(ref: string): Promise<boolean>;
  pullImage(ref: string, options?: RunOptions): Promise<void>;
  networkExists(name: string): Promise<boolean>;
  /**
   * A network's IPv4 subnet and every IPv4 address on it that is in use or pinned: running
   * containers' addresses and the `--ip` of every attached container, stopped ones included
   * (Docker releases a stopped container's address, but starts it only on its pinned one).
   */
  networkAddresses(name: string): Promise<NetworkAddresses>;
  /**
   * Whether the daemon starts a container on `network` at `ipv4` (`--ip`): a throwaway container of
   * `image` (entrypoint /bin/true) is created, started and removed. Docker 20.10 accepts `--ip` at
   * create and refuses it only at start on a network whose IPv4 subnet it picked itself, so only a
   * start answers. Resolves with the start's result (exit 0: it does).
   */
  tryAddress(network: string, ipv4: string, image: string, labels: Record<string, string>): Promise<CommandResult>;
  /**
   * Pins a STOPPED container's IPv4 address on a network (disconnect, then `connect --ip`): Docker
   * then starts it on that address, also after a daemon restart.
   */
  pinAddress(container: string, network: string, ipv4: string): Promise<void>;
  /** `docker stop` (the node's STOPSIGNAL, then SIGKILL after timeoutSeconds) of containers, all at once. */
  stopContainers(ids: readonly string[], options?: RunOptions & { timeoutSeconds?: number }): Promise<void>;
  /** `docker kill` of containers, all at once; one that is no longer running is not an error. */
  killContainers(ids: readonly string[], options?: RunOptions): Promise<void>;
  /**
   * The command names (`comm`) of a container's processes, from `docker top ID -o pid,comm` (Docker
   * needs the pid column to pick the container's processes); undefined once it no longer runs.
   */
  containerProcessNames(id: string, options?: RunOptions): Promise<string[] | undefined>;
  /** `docker start` of containers, all at once. */
  startContainers(ids: readonly string[], options?: RunOptions): Promise<void>;
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
  /**
   * The same containers as the daemon lists them, not inspected: those still being created too. Docker
   * 20.10 lists a container while it copies the image's /var into a new volume (seconds for a node
   * image) but answers "No such container" to its inspect and its remove until then
   * (test/fixtures/docker-engine/container-in-creation), so containersWithLabel leaves it out.
   */
  listContainersWithLabel(key: string, value?: string): Promise<Array<Pick<ContainerInfo, 'id' | 'name' | 'state'>>>;
  /**
   * Every container (running or not) with the values of the given labels, from one `docker ps` and
   * no inspect: for finding containers by any of several labels, which `--filter` cannot (its label
   * filters all have to match).
   */
  listAllContainers(labelKeys: readonly string[]): Promise<ListedContainer[]>;
  /**
   * Volumes carrying label `key`, with the values of the given labels (those with a value), from one
   * `docker volume ls` and no inspect.
   */
  listVolumes(key: string, labelKeys: readonly string[]): Promise<LabelledObject[]>;
  /** The full facts of listed containers, from one `docker container inspect` (those gone since are left out). */
  inspectContainers(listed: readonly ListedContainer[]): Promise<ContainerInfo[]>;
  volumesWithLabel(key: string, value?: string): Promise<VolumeInfo[]>;
  networksWithLabel(key: string, value?: string): Promise<NetworkInfo[]>;
  /** One sample per running container (`docker stats --no-stream`), keyed by full container id. */
  stats(ids: readonly string[]): Promise<Map<string, ContainerStatsSample>>;
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  removeContainers(ids: readonly string[]): Promise<void>;
  /** `docker pause`: freezes every process of the containers (the cgroup freezer); memory stays, CPU stops. */
  pauseContainers(ids: readonly string[]): Promise<void>;
  /** `docker unpause`: thaws containers frozen by pauseContainers. */
  unpauseContainers(ids: readonly string[]): Promise<void>;
  removeVolumes(names: readonly string[]): Promise<void>;
  removeNetworks(ids: readonly string[]): Promise<void>;
}

export class ExecaDockerCli implements DockerCli {
  constructor(
    private readonly runner: CommandRunner,
    readonly endpoint: DockerEndpoint,
    private readonly docker = 'docker',
    /** The same daemon's socket for listings and inspects (docker-engine-socket.ts); without it, or when it fails, the CLI answers. */
    private readonly socket?: DockerEngineSocket,
  ) {}

  run(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.runner.run(this.docker, args, { ...options, env: { ...this.endpoint.env, ...options.env } });
  }

  async serverVersion(): Promise<string> {
    const result = await this.run(['version', '--format', '{{.Server.Version}}'], { allowFailure: true, timeoutMs: 20_000 });
    if (result.exitCode !== 0 || result.stdout.trim() === '') {
      throw new KindlabError(
        `failed to reach the Docker daemon at ${describeDockerEndpoint(this.endpoint)}: ${lastLine(result.stderr) || 'no server version'}`,
        { hint: 'run `lab host prepare` to install and start Docker, or choose a running daemon with DOCKER_HOST or `docker context use`' },
      );
    }
    return result.stdout.trim();
  }

  async imageInfo(ref: string): Promise<ImageInfo | undefined> {
    const result = await this.run(['image', 'inspect', '--format', '{{json .}}', ref], { allowFailure: true });
    if (result.exitCode !== 0) return undefined;
    const raw = JSON.parse(result.stdout) as { Id: string; Size: number; Created: string; Config?: { Labels?: Record<string, string> | null } };
    return { id: raw.Id, sizeBytes: raw.Size, created: raw.Created, labels: raw.Config?.Labels ?? {} };
  }

  async imageExists(ref: string): Promise<boolean> {
    const result = await this.run(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true });
    return result.exitCode === 0;
  }

  async pullImage(ref: string, options: RunOptions = {}): Promise<void> {
    await this.run(['pull', ref], options);
  }

  async networkExists(name: string): Promise<boolean> {
    const result = await this.run(['network', 'inspect', '--format', '{{.Name}}', name], { allowFailure: true });
    return result.exitCode === 0 && result.stdout.trim() === name;
  }

  createNetwork(args: readonly string[]): Promise<CommandResult> {
    return this.run(['network', 'create', ...args], { allowFailure: true });
  }

  async networkAddresses(name: string): Promise<NetworkAddresses> {
    const [id = '', configText = 'null', labelsText = 'null'] = (
      await this.run(['network', 'inspect', '--format', '{{.Id}}\t{{json .IPAM.Config}}\t{{json .Labels}}', name])
    ).stdout
      .trim()
      .split('\t');
    const config = JSON.parse(configText) as Array<{ Subnet?: string }> | null;
    const subnet = (config ?? []).map((c) => c.Subnet ?? '').find((s) => s.includes('.'));
    if (!subnet) throw new KindlabError(`failed to find an IPv4 subnet on docker network ${name}`, { hint: `see \`docker network inspect ${name}\`` });
    const ids = await this.listLines(['ps', '--all', '--no-trunc', '--filter', `network=${name}`, '--format', '{{.ID}}']);
    const taken = new Set<string>();
    for (const raw of (await this.inspect('container', ids)) as InspectedContainer[]) {
      const net = raw.NetworkSettings?.Networks?.[name];
      for (const address of [net?.IPAddress, net?.IPAMConfig?.IPv4Address]) if (address) taken.add(address);
    }
    return { id, subnet, taken: [...taken], labels: (JSON.parse(labelsText) as Record<string, string> | null) ?? {} };
  }

  async tryAddress(network: string, ipv4: string, image: string, labels: Record<string, string>): Promise<CommandResult> {
    const created = await this.run(['create', ...dockerLabelArgs(labels), '--network', network, '--ip', ipv4, '--entrypoint', '/bin/true', image]);
    const id = created.stdout.trim();
    try {
      return await this.run(['start', '--attach', id], { allowFailure: true, timeoutMs: 60_000 });
    } finally {
      await this.removeContainers([id]);
    }
  }

  async pinAddress(container: string, network: string, ipv4: string): Promise<void> {
    await this.run(['network', 'disconnect', network, container]);
    await this.run(['network', 'connect', '--ip', ipv4, network, container]);
  }

  async stopContainers(ids: readonly string[], options: RunOptions & { timeoutSeconds?: number } = {}): Promise<void> {
    if (ids.length === 0) return;
    const { timeoutSeconds = 30, ...rest } = options;
    await this.run(['stop', '--time', String(timeoutSeconds), ...ids], rest);
  }

  async killContainers(ids: readonly string[], options: RunOptions = {}): Promise<void> {
    if (ids.length === 0) return;
    const result = await this.run(['kill', ...ids], { ...options, allowFailure: true });
    // A container that has just stopped answers "... is not running" (exit 1; test/fixtures/lab-stop-start/kill-not-running.stderr).
    const failed = result.stderr.split('\n').filter((line) => line.trim() !== '' && !NOT_RUNNING.test(line));
    if (result.exitCode !== 0 && failed.length > 0) throw new CommandError(this.docker, ['kill', ...ids], result);
  }

  async containerProcessNames(id: string, options: RunOptions = {}): Promise<string[] | undefined> {
    const result = await this.run(['top', id, '-o', 'pid,comm'], { ...options, allowFailure: true });
    if (result.exitCode !== 0 && NOT_RUNNING.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError(this.docker, ['top', id, '-o', 'pid,comm'], result);
    return parseTopNames(result.stdout);
  }

  async startContainers(ids: readonly string[], options: RunOptions = {}): Promise<void> {
    if (ids.length === 0) return;
    await this.run(['start', ...ids], options);
  }

  async defaultBridgeMtu(): Promise<number | undefined> {
    const result = await this.run(['network', 'inspect', 'bridge', '-f', '{{ index .Options "com.docker.network.driver.mtu" }}'], { allowFailure: true });
    const mtu = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isInteger(mtu) && mtu > 0 ? mtu : undefined;
  }

  async runDetached(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.run(['run', '--detach', ...args], options);
    return result.stdout.trim();
  }

  createContainer(args: readonly string[]): Promise<CommandResult> {
    return this.run(['create', ...args], { allowFailure: true });
  }

  runAttached(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.run(['run', ...args], options);
  }

  async rootDir(): Promise<string> {
    const result = await this.run(['info', '--format', '{{.DockerRootDir}}'], { timeoutMs: 20_000 });
    return result.stdout.trim();
  }

  async volumeMountpoint(name: string): Promise<string> {
    const result = await this.run(['volume', 'inspect', '--format', '{{.Mountpoint}}', name]);
    return result.stdout.trim();
  }

  async exec(container: string, command: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const plain = options.input === undefined && !options.onLine && !options.env && !options.cwd;
    const onSocket = this.socket && plain ? await this.socketExec(this.socket, container, command, options) : undefined;
    return onSocket ?? this.run(['exec', container, ...command], options);
  }

  /** exec on the socket (DockerEngineSocket.exec), answered and failing as the CLI's run would; undefined: ask the CLI. */
  private async socketExec(socket: DockerEngineSocket, container: string, command: readonly string[], options: RunOptions): Promise<CommandResult | undefined> {
    const args = ['exec', container, ...command];
    let answer: ExecAnswer | undefined;
    try {
      answer = await socket.exec(container, command, {
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      const stopped = error as ExecStopped;
      throw new CommandError(this.docker, args, undefined, {
        message: stopped.message,
        timedOut: stopped.timedOut ?? false,
        isCanceled: stopped.isCanceled ?? false,
      });
    }
    if (!answer) return undefined;
    const result: CommandResult = { command: this.docker, args, ...answer };
    if (result.exitCode !== 0 && !options.allowFailure) throw new CommandError(this.docker, args, result);
    return result;
  }

  async containersWithLabel(key: string, value?: string): Promise<ContainerInfo[]> {
    const listed = await this.socketList(`/containers/json?all=1&${labelFilterQuery([labelSpec(key, value)])}`, []);
    if (listed) return this.inspectContainers(listed);
    const rows = await this.listLines(['ps', '--all', '--no-trunc', '--filter', labelFilter(key, value), '--format', '{{.ID}}\t{{.Status}}']);
    return this.inspectContainers(rows.map((row) => ({ id: row.split('\t')[0]!, status: row.split('\t')[1] ?? '', labels: {} })));
  }

  async listContainersWithLabel(key: string, value?: string): Promise<Array<Pick<ContainerInfo, 'id' | 'name' | 'state'>>> {
    const answer = await this.socketGet(`/containers/json?all=1&${labelFilterQuery([labelSpec(key, value)])}`);
    if (Array.isArray(answer)) {
      return (answer as EngineContainer[]).map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? '').replace(/^\//, ''), state: c.State ?? '' }));
    }
    const rows = await this.listLines(['ps', '--all', '--no-trunc', '--filter', labelFilter(key, value), '--format', '{{.ID}}\t{{.Names}}\t{{.State}}']);
    return rows.map((row) => {
      const [id = '', name = '', state = ''] = row.split('\t');
      return { id, name, state };
    });
  }

  async listAllContainers(labelKeys: readonly string[]): Promise<ListedContainer[]> {
    const listed = await this.socketList('/containers/json?all=1', labelKeys);
    if (listed) return listed;
    const rows = await this.listLines(['ps', '--all', '--no-trunc', '--format', ['{{.ID}}', '{{json .Status}}', ...labelColumns(labelKeys)].join('\t')]);
    return rows.map((row) => {
      const [id = '', status, ...values] = row.split('\t');
      return { id, status: JSON.parse(status ?? '""') as string, labels: labelValues(labelKeys, values) };
    });
  }

  async listVolumes(key: string, labelKeys: readonly string[]): Promise<LabelledObject[]> {
    const answer = await this.socketGet(`/volumes?${labelFilterQuery([key])}`);
    const volumes = (answer as { Volumes?: EngineVolume[] | null } | undefined)?.Volumes;
    if (answer !== undefined && volumes !== undefined) return (volumes ?? []).map((v) => ({ name: v.Name, labels: pickLabels(labelKeys, v.Labels) }));
    const rows = await this.listLines(['volume', 'ls', '--filter', labelFilter(key), '--format', ['{{json .Name}}', ...labelColumns(labelKeys)].join('\t')]);
    return rows.map((row) => {
      const [name, ...values] = row.split('\t');
      return { name: JSON.parse(name ?? '""') as string, labels: labelValues(labelKeys, values) };
    });
  }

  async inspectContainers(listed: readonly ListedContainer[]): Promise<ContainerInfo[]> {
    const status = new Map(listed.map((c) => [c.id, c.status]));
    const inspected = await this.inspect('container', [...status.keys()]);
    return inspected.map((raw) => toContainerInfo(raw, status));
  }

  async volumesWithLabel(key: string, value?: string): Promise<VolumeInfo[]> {
    const inspected = await this.listAndInspect('volume', ['--filter', labelFilter(key, value), '--format', '{{.Name}}']);
    return inspected.map((v) => ({ name: String(v.Name), labels: labelsOf(v.Labels), createdAt: String(v.CreatedAt ?? '') }));
  }

  async networksWithLabel(key: string, value?: string): Promise<NetworkInfo[]> {
    const inspected = await this.listAndInspect('network', ['--no-trunc', '--filter', labelFilter(key, value), '--format', '{{.ID}}']);
    return inspected.map((n) => ({ id: String(n.Id), name: String(n.Name), labels: labelsOf(n.Labels) }));
  }

  async stats(ids: readonly string[]): Promise<Map<string, ContainerStatsSample>> {
    const samples = new Map<string, ContainerStatsSample>();
    if (ids.length === 0) return samples;
    const lines = await this.listLines(['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', ...ids]);
    for (const line of lines) {
      const row = JSON.parse(line) as { ID: string; CPUPerc: string; MemUsage: string; PIDs?: string };
      const [used = '', limit = ''] = row.MemUsage.split('/').map((s) => s.trim());
      const pids = Number(row.PIDs);
      samples.set(row.ID, {
        memoryBytes: parseBytes(used),
        memoryLimitBytes: parseBytes(limit),
        cpuPercent: Number.parseFloat(row.CPUPerc) || 0,
        ...(Number.isInteger(pids) ? { pids } : {}),
      });
    }
    return samples;
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    await this.run(['volume', 'create', ...dockerLabelArgs(labels), name]);
  }

  async removeContainers(ids: readonly string[]): Promise<void> {
    // -v: the anonymous /var volumes kind gives every node go with them.
    const verb = ['rm', '--force', '--volumes'];
    const removed = await this.remove('containers', verb, ids, /No such container/i, (result) => UNKILLABLE.test(result.stderr));
    if (removed) return;
    // A node killed while the runc inside it had a pod's cgroup frozen cannot exit until it is thawed.
    debug('thawed frozen cgroups:', await this.thawFrozenNodes(ids), 'removing again', ids);
    await this.remove('containers', verb, ids, /No such container/i);
  }

  /** How many frozen cgroups were thawed under the containers' init processes (none for a remote daemon). */
  private async thawFrozenNodes(ids: readonly string[]): Promise<number> {
    const result = await this.run(['container', 'inspect', '--format', '{{.Id}} {{.State.Pid}}', ...ids], { allowFailure: true });
    let thawed = 0;
    for (const [id, pid] of result.stdout.split('\n').map((l) => l.trim().split(' '))) {
      if (!id || !pid || pid === '0') continue;
      thawed += thawFrozenCgroups(Number(pid), id).length;
    }
    return thawed;
  }

  async pauseContainers(ids: readonly string[]): Promise<void> {
    await this.changeState('pause', ids);
  }

  async unpauseContainers(ids: readonly string[]): Promise<void> {
    await this.changeState('unpause', ids);
  }

  async removeVolumes(names: readonly string[]): Promise<void> {
    await this.remove('volumes', ['volume', 'rm', '--force'], names);
  }

  async removeNetworks(ids: readonly string[]): Promise<void> {
    await this.remove('networks', ['network', 'rm'], ids, /No such network|not found/i);
  }

  /**
   * One removal of all of them: true when they are gone, false (no throw) when `retryIf` says the
   * failure is worth another try, which is the caller's to make.
   */
  private async remove(
    what: string,
    verb: readonly string[],
    ids: readonly string[],
    alreadyGone?: RegExp,
    retryIf?: (result: CommandResult) => boolean,
  ): Promise<boolean> {
    if (ids.length === 0) return true;
    const result = await this.run([...verb, ...ids], { allowFailure: true });
    if (result.exitCode === 0) return true;
    if (retryIf?.(result)) return false;
    if (alreadyGone?.test(result.stderr)) return true;
    throw new KindlabError(`failed to remove ${what} ${ids.join(', ')}: ${lastLine(result.stderr)}`);
  }

  /** One `docker pause|unpause` for all of them; a failure throws the CommandError with the command ready to paste. */
  private async changeState(verb: 'pause' | 'unpause', ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.run([verb, ...ids]);
  }

  private async listLines(args: string[]): Promise<string[]> {
    const result = await this.run(args);
    return result.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  private async listAndInspect(kind: 'volume' | 'network', lsArgs: string[]): Promise<Array<Record<string, unknown>>> {
    return this.inspect(kind, await this.listLines([kind, 'ls', ...lsArgs]));
  }

  private async inspect(kind: string, ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
    if (ids.length === 0) return [];
    if (kind === 'container' && this.socket) {
      const inspected = await this.socketInspect(ids);
      if (inspected) return inspected;
    }
    // Something listed a moment ago may be gone now (a concurrent `lab down`): inspect what is left.
    const result = await this.run([kind, 'inspect', ...ids], { allowFailure: true });
    const text = result.stdout.trim();
    return text ? (JSON.parse(text) as Array<Record<string, unknown>>) : [];
  }

  /**
   * A GET on the daemon's socket: its JSON body, or undefined when there is no socket, it cannot be
   * reached or it answers other than 200, so the caller asks the CLI, whose error names the command.
   */
  private async socketGet(path: string): Promise<unknown> {
    if (!this.socket) return undefined;
    try {
      const { statusCode, body } = await this.socket.get(path);
      if (statusCode === 200 && body !== undefined) return body;
      debug(`GET ${path} answered ${statusCode}: asking the docker CLI instead`);
    } catch (error) {
      debug(`GET ${path} failed (${(error as Error).message}): asking the docker CLI instead`);
    }
    return undefined;
  }

  /** A listing on the socket as `docker ps` rows: id, status and the labels asked for. */
  private async socketList(path: string, labelKeys: readonly string[]): Promise<ListedContainer[] | undefined> {
    const answer = await this.socketGet(path);
    if (!Array.isArray(answer)) return undefined;
    return (answer as EngineContainer[]).map((c) => ({ id: c.Id, status: c.Status ?? '', labels: pickLabels(labelKeys, c.Labels) }));
  }

  /** Every container inspected at once; one that is gone meanwhile (404) is left out, as the CLI leaves it out. */
  private async socketInspect(ids: readonly string[]): Promise<Array<Record<string, unknown>> | undefined> {
    const socket = this.socket!;
    try {
      const answers = await Promise.all(ids.map((id) => socket.get(`/containers/${encodeURIComponent(id)}/json`)));
      if (answers.some((a) => a.statusCode !== 200 && a.statusCode !== 404)) return undefined;
      return answers.filter((a) => a.statusCode === 200 && a.body !== undefined).map((a) => a.body as Record<string, unknown>);
    } catch (error) {
      debug(`inspect over the socket failed (${(error as Error).message}): asking the docker CLI instead`);
      return undefined;
    }
  }
}

/** One container of GET /containers/json (what `docker ps` formats). */
interface EngineContainer {
  Id: string;
  /** With the leading slash, e.g. "/demo-control-plane". */
  Names?: string[];
  State?: string;
  Status?: string;
  Labels?: Record<string, string> | null;
}

/** One volume of GET /volumes (what `docker volume ls` formats). */
interface EngineVolume {
  Name: string;
  Labels?: Record<string, string> | null;
}

/** The labels asked for that carry a non-empty value: what labelValues() makes of a listing's template columns. */
function pickLabels(labelKeys: readonly string[], labels: Record<string, string> | null | undefined): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of labelKeys) if (labels?.[key]) picked[key] = labels[key];
  return picked;
}

/** Go template columns of a listing with the values of labels, JSON-quoted so no value can break a row apart. */
function labelColumns(labelKeys: readonly string[]): string[] {
  return labelKeys.map((key) => `{{json (.Label ${JSON.stringify(key)})}}`);
}

/** The labels of one listed row that have a (non-empty) value: a template cannot tell an empty label from a missing one. */
function labelValues(labelKeys: readonly string[], columns: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  labelKeys.forEach((key, i) => {
    const value = JSON.parse(columns[i] ?? '""') as string;
    if (value !== '') labels[key] = value;
  });
  return labels;
}

/** `key` or `key=value`: what a label filter matches, on the CLI (`--filter label=...`) and on the socket alike. */
function labelSpec(key: string, value?: string): string {
  return value === undefined ? key : `${key}=${value}`;
}

function labelFilter(key: string, value?: string): string {
  return `label=${labelSpec(key, value)}`;
}

function labelsOf(value: unknown): Record<string, string> {
  return (value ?? {}) as Record<string, string>;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

const BYTE_UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** "291.9MiB" (docker stats prints binary units) → bytes. */
export function parseBytes(text: string): number {
  const match = /^([\d.]+)\s*([A-Za-z]*)$/.exec(text.trim());
  if (!match) return 0;
  return Math.round(Number(match[1]) * (BYTE_UNITS[match[2] || 'B'] ?? 1));
}

interface InspectedContainer {
  Id?: string;
  Name?: string;
  Created?: string;
  State?: { Status?: string; StartedAt?: string; Pid?: number };
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  NetworkSettings?: {
    Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string; IPAMConfig?: { IPv4Address?: string } | null }> | null;
    Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
  };
}

function toContainerInfo(raw: Record<string, unknown>, status: Map<string, string>): ContainerInfo {
  const c = raw as InspectedContainer;
  const networks: ContainerInfo['networks'] = {};
  for (const [name, net] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    const pinned = net.IPAMConfig?.IPv4Address;
    networks[name] = { ipv4: net.IPAddress ?? '', ipv6: net.GlobalIPv6Address ?? '', ...(pinned ? { pinnedIpv4: pinned } : {}) };
  }
  const ports: Record<string, string> = {};
  for (const [port, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
    // Like `docker ps`: the first binding, 0.0.0.0 when bound to every address.
    const first = bindings?.find((b) => b.HostPort);
    if (first) ports[port] = `${first.HostIp || '0.0.0.0'}:${first.HostPort}`;
  }
  const id = String(c.Id ?? '');
  return {
    id,
    name: String(c.Name ?? '').replace(/^\//, ''),
    state: String(c.State?.Status ?? 'unknown'),
    status: status.get(id) ?? '',
    image: String(c.Config?.Image ?? ''),
    labels: c.Config?.Labels ?? {},
    createdAt: String(c.Created ?? ''),
    ...(c.State?.StartedAt ? { startedAt: c.State.StartedAt } : {}),
    ...(c.State?.Pid ? { pid: c.State.Pid } : {}),
    networks,
    ports,
  };
}

/** Docker's answer for a container that does not run (recorded in test/fixtures/lab-stop-start/: kill-not-running.stderr, node-stop-control-plane/*.stderr). */
const NOT_RUNNING = /Container \S+ is not running/;

/** The COMMAND column of `docker top ID -o pid,comm`: a header, then `<pid> <comm>` per process (comm may hold spaces). */
function parseTopNames(stdout: string): string[] {
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().match(/^\d+\s+(.+)$/)?.[1])
    .filter((name): name is string => name !== undefined);
}
