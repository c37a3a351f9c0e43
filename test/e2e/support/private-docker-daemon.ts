import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { isProcessRunning } from '../../../src/common/run-owner.js';
import { doneIf, notYet, doneWith, waitUntil } from '../../../src/common/wait-until.js';
import { hostMissingCapabilities } from '../../../src/host/ensure-privileged.js';
import { hostPaths } from '../../../src/host/host-paths.js';
import { wrapDefaultRuntime } from '../../../src/host/merge-daemon-json.js';
import { NodeHostFilesystem } from '../../../src/host/node-host-filesystem.js';
import { buildRuntimeWrapper, installRuntimeWrapper, RUNTIME_WRAPPER_NAME, RUNTIME_WRAPPER_SOURCE } from '../../../src/host/runtime-wrapper.js';
import { PROJECT_ROOT } from './run-lab.js';
import { e2eLabName } from './watch-lab.js';

/** A dockerd of the test's own, next to the machine's daemon (which it never touches). */
export interface PrivateDockerDaemon {
  /** unix:///.../docker.sock */
  host: string;
  /** The test's environment with DOCKER_HOST pointing at this daemon (and no DOCKER_CONTEXT): for child processes. */
  env: NodeJS.ProcessEnv;
  /** Stops dockerd gracefully (SIGTERM) and starts it again with the same arguments; resolves once it answers. */
  restart(): Promise<void>;
  /** Removes its containers and networks, stops it and deletes its directory. */
  stop(): Promise<void>;
}

/** The networks every private daemon's pool is carved from: no daemon's default pools (172.17-31/16, 192.168/16) reach it. */
const POOL_BASE = [10, 213];
/** Each daemon takes one /20 of 10.213/16: a /21 pool of /24 networks (the kind network is one) and a /24 for its default bridge. */
const BLOCKS = 16;
/** kind's default podSubnet, which kindlab's templates keep. */
const KIND_POD_SUBNET = '10.244.0.0/16';
const ANSWER_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 90_000;

/**
 * Starts a second dockerd on this machine, its own in everything: socket, data root, exec root,
 * pid file, daemon.json, default bridge (a link of its own, named with the e2e prefix) and
 * address pool, all under one directory named after `name` with the e2e prefix. It runs in the
 * host's network namespace, so a port kind publishes on 127.0.0.1 is reachable from the test.
 *
 * The machine's daemon owns the iptables rules (a second one with iptables would flush its DOCKER
 * chains): this one runs with --iptables=false and the userland proxy (docker-proxy listens on
 * 127.0.0.1 and connects to the container through this daemon's bridge, so no NAT rule is needed).
 * Traffic between its containers is bridged, and with br_netfilter that crosses the host's FORWARD
 * chain, whose policy the machine's daemon sets to DROP: one rule of its own at the top of FORWARD
 * (commented with the directory's name, removed by stop) accepts traffic within its address block,
 * so nodes of a multi-node lab reach each other. No other rule is added or changed.
 *
 * dockerd deletes the interface named docker0 (the machine daemon's bridge) when it starts with
 * address pools and finds its own default network from an earlier run, unless live-restore is on
 * (moby 20.10 initNetworkController). So every start has live-restore on, and once dockerd answers
 * it is switched off with a reload (SIGHUP): a stop then stops the containers, as the machine
 * daemon's does, and a start restarts them by their restart policy.
 *
 * kind's network gets the same IPv6 ULA /64 here as on the machine daemon (derived from its name):
 * two host routes for one prefix. kind's nodes talk IPv4, and the API is published on 127.0.0.1.
 *
 * Privileged containers fail here without kindlab's runtime wrapper when the capability bounding
 * set lacks a capability: then the wrapper is built (cached by source hash, as `lab host prepare`
 * does) and installed in this daemon's directory, and its daemon.json wraps the default runtime
 * with wrapDefaultRuntime, the function prepare uses.
 */
export async function startPrivateDockerDaemon({ name, images }: { name: string; images: string[] }): Promise<PrivateDockerDaemon> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`private docker daemon name must be lowercase letters, digits and -, got "${name}"`);
  const dirName = e2eLabName(`dockerd-${name}`);
  const dir = join(tmpdir(), dirName);
  const daemon = new PrivateDaemon(dir, dirName);
  // A run killed before its stop() (a timeout, Ctrl-C) leaves this directory: everything in it is ours.
  if (existsSync(dir)) await daemon.stop();
  mkdirSync(dir, { mode: 0o755 });
  try {
    await daemon.configure();
    await daemon.start();
    await daemon.copyImages(images);
  } catch (error) {
    await daemon.stop().catch(() => undefined);
    throw error;
  }
  return {
    host: daemon.host,
    env: daemon.env,
    restart: () => daemon.restart(),
    stop: () => daemon.stop(),
  };
}

class PrivateDaemon {
  readonly host: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly pidFile: string;
  private readonly log: string;
  private readonly bridge: string;
  private readonly daemonJson: string;
  /** The address block, recorded so a stop after a crash (or a later start) finds its bridges and rule. */
  private readonly networkFile: string;
  private config: Record<string, unknown> = {};
  private args: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    private readonly dir: string,
    private readonly dirName: string,
  ) {
    this.host = `unix://${join(dir, 'docker.sock')}`;
    const { DOCKER_CONTEXT: _context, ...rest } = process.env;
    this.env = { ...rest, DOCKER_HOST: this.host };
    this.pidFile = join(dir, 'docker.pid');
    this.log = join(dir, 'dockerd.log');
    this.daemonJson = join(dir, 'daemon.json');
    this.networkFile = join(dir, 'network.json');
    // Interface names have at most 15 characters: the prefix's start and a hash of the whole name.
    this.bridge = `${dirName.slice(0, 5)}${createHash('sha256').update(dirName).digest('hex').slice(0, 8)}`;
  }

  /** Writes daemon.json (with the runtime wrapper where the host needs it) and creates the default bridge. */
  async configure(): Promise<void> {
    const block = freeBlock(this.bridge);
    writeFileSync(this.networkFile, `${JSON.stringify(block)}\n`);
    const fs = new NodeHostFilesystem();
    if ((await hostMissingCapabilities(fs)).length > 0) {
      const isRoot = process.getuid?.() === 0;
      const wrapperPath = join(this.dir, 'bin', RUNTIME_WRAPPER_NAME);
      const built = await buildRuntimeWrapper(new ChildProcessCommandRunner(), fs, {
        sourceDir: join(PROJECT_ROOT, RUNTIME_WRAPPER_SOURCE),
        buildDir: hostPaths({}, isRoot).buildDir,
        isRoot,
      });
      await installRuntimeWrapper(fs, built, wrapperPath);
      this.config = wrapDefaultRuntime(this.config, RUNTIME_WRAPPER_NAME, wrapperPath).config;
    }
    // dockerd creates only a bridge named docker0 itself (the machine's daemon has that one); any
    // other default bridge must exist, with its address. --bridge=none would delete docker0.
    await ip(['link', 'add', 'name', this.bridge, 'type', 'bridge']);
    await ip(['addr', 'add', `${block.bridgeAddress}/24`, 'dev', this.bridge]);
    await ip(['link', 'set', this.bridge, 'up']);
    for (const rule of this.forwardRules(block.cidr)) await execa('iptables', ['-I', ...rule]);
    this.args = [
      '--host',
      this.host,
      '--config-file',
      this.daemonJson,
      '--data-root',
      join(this.dir, 'data'),
      '--exec-root',
      join(this.dir, 'exec'),
      '--pidfile',
      this.pidFile,
      '--bridge',
      this.bridge,
      '--default-address-pool',
      `base=${block.pool},size=24`,
      '--iptables=false',
      '--ip-masq=false',
      '--userland-proxy=true',
    ];
  }

  async start(): Promise<void> {
    this.writeConfig(true);
    const log = openSync(this.log, 'a');
    try {
      this.child = spawn('dockerd', this.args, { stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    await waitUntil(
      async (signal) => {
        if (child.exitCode !== null || child.signalCode !== null) throw new DockerdExited(child, this.logTail());
        const info = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { env: this.env, reject: false, cancelSignal: signal });
        return info.exitCode === 0 ? doneWith(undefined) : notYet(`docker info: ${String(info.stderr).trim() || `exit ${info.exitCode}`}`);
      },
      {
        what: `the private dockerd ${this.host} to answer`,
        timeoutMs: ANSWER_TIMEOUT_MS,
        intervalMs: 250,
        stopOn: (error) => error instanceof DockerdExited,
        hint: `its log: ${this.log}\n${this.logTail()}`,
      },
    );
    this.writeConfig(false);
    process.kill(child.pid ?? -1, 'SIGHUP');
    await waitUntil(
      async (signal) => {
        const info = await execa('docker', ['info', '--format', '{{.LiveRestoreEnabled}}'], { env: this.env, cancelSignal: signal });
        return doneIf(info.stdout.trim() === 'false', `live-restore ${info.stdout.trim()}`);
      },
      {
        what: `the private dockerd ${this.host} to reload daemon.json with live-restore off`,
        timeoutMs: 30_000,
        intervalMs: 200,
        hint: `its log: ${this.log}`,
      },
    );
  }

  /** daemon.json: the runtime wrapper (if any) and live-restore, on only while dockerd starts. */
  private writeConfig(liveRestore: boolean): void {
    writeFileSync(this.daemonJson, `${JSON.stringify({ ...this.config, 'live-restore': liveRestore }, null, 2)}\n`);
  }

  /** `docker save` from the machine's daemon straight into `docker load` here: no file in between. */
  async copyImages(images: string[]): Promise<void> {
    if (images.length === 0) return;
    const save = execa('docker', ['save', ...images], { stdout: 'pipe', buffer: { stdout: false } });
    await save.pipe('docker', ['load'], { env: this.env });
  }

  async restart(): Promise<void> {
    await this.stopDockerd();
    await this.start();
  }

  /** Also cleans up after a crash or a killed test: it finds what is left by this directory's name and address block. */
  async stop(): Promise<void> {
    if (this.pid() !== undefined) {
      // dockerd leaves its networks' bridges on the host when it stops: remove them through it.
      const ids = (await this.docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (ids.length) await this.docker(['rm', '-f', ...ids]);
      await this.docker(['network', 'prune', '-f']);
      await this.stopDockerd();
    }
    // Whatever still runs from this directory (dockerd, its containerd, the shims) and the shims' children.
    const ours = processes().filter((p) => p.cmdline.includes(`${this.dir}/`));
    for (const owner of ours) for (const child of processes().filter((p) => p.ppid === owner.pid)) kill(child.pid);
    for (const owner of ours) kill(owner.pid);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((mount) => mount.startsWith(`${this.dir}/`))
      .sort()
      .reverse();
    for (const mount of mounts) await execa('umount', ['-l', mount], { reject: false });
    const block = existsSync(this.networkFile) ? (JSON.parse(readFileSync(this.networkFile, 'utf8')) as { cidr: string }) : undefined;
    if (block) {
      for (const link of await bridgesIn(block.cidr)) await ip(['link', 'delete', link]);
      for (const rule of this.forwardRules(block.cidr))
        while ((await execa('iptables', ['-C', ...rule], { reject: false })).exitCode === 0) await execa('iptables', ['-D', ...rule]);
    }
    if (existsSync(`/sys/class/net/${this.bridge}`)) await ip(['link', 'delete', this.bridge]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Accepts forwarding within this daemon's block, and pod-to-pod traffic that stays on one bridge:
   * flannel (host-gw, images/node/default-cni.yaml) routes a pod's packets to another node's pods
   * unmasqueraded (pod address to pod address, over the kind network's bridge), which the first rule
   * does not match. Without the second, a pod on one node reached
   * nothing on another (the daemon-restart test's "pod DNS on <lab>-worker", 2026-11-30). physdev-is-bridged
   * keeps it to frames switched inside one bridge, which the machine daemon accepts for its own bridges too.
   * The comment names its directory.
   */
  private forwardRules(cidr: string): string[][] {
    const comment = ['-m', 'comment', '--comment', this.dirName, '-j', 'ACCEPT'];
    return [
      ['FORWARD', '-s', cidr, '-d', cidr, ...comment],
      ['FORWARD', '-s', KIND_POD_SUBNET, '-d', KIND_POD_SUBNET, '-m', 'physdev', '--physdev-is-bridged', ...comment],
    ];
  }

  /** SIGTERM; a dockerd that has not exited by the deadline (it hangs on a container) gets SIGKILL. */
  private async stopDockerd(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    const stopped = await waitUntil(async () => doneIf(!isProcessRunning(pid), `pid ${pid} still runs`), {
      what: `the private dockerd ${this.host} to stop after SIGTERM`,
      timeoutMs: STOP_TIMEOUT_MS,
      intervalMs: 200,
    }).then(
      () => true,
      () => false,
    );
    if (!stopped) kill(pid);
    // The ChildProcess is reaped by Node: wait for its exit event so a restart does not race it.
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }

  private pid(): number | undefined {
    const fromFile = existsSync(this.pidFile) ? Number(readFileSync(this.pidFile, 'utf8').trim()) : undefined;
    const pid = this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : fromFile;
    return pid !== undefined && Number.isInteger(pid) && isProcessRunning(pid) ? pid : undefined;
  }

  private docker(args: string[]) {
    return execa('docker', args, { env: this.env, reject: false });
  }

  private logTail(): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
  }
}

class DockerdExited extends Error {
  constructor(child: ChildProcess, logTail: string) {
    super(`the private dockerd exited (code ${child.exitCode}, signal ${child.signalCode}) before it answered:\n${logTail}`);
  }
}

/**
 * One /20 of 10.213/16 that no route of this host overlaps (the machine's daemon and other private
 * daemons each have routes for their bridges), starting at a block picked by the name's hash.
 */
function freeBlock(key: string): { cidr: string; pool: string; bridgeAddress: string } {
  const routes = readRoutes();
  const first = createHash('sha256').update(key).digest()[0] ?? 0;
  for (let i = 0; i < BLOCKS; i++) {
    const third = ((first + i) % BLOCKS) * 16;
    const start = ipNumber([...POOL_BASE, third, 0]);
    const size = 2 ** 12;
    if (routes.some((r) => r.start < start + size && start < r.start + r.size)) continue;
    return {
      cidr: `${POOL_BASE.join('.')}.${third}.0/20`,
      pool: `${POOL_BASE.join('.')}.${third}.0/21`,
      bridgeAddress: `${POOL_BASE.join('.')}.${third + 15}.1`,
    };
  }
  throw new Error(`no free /20 left in ${POOL_BASE.join('.')}.0.0/16 for a private docker daemon: every block overlaps a route`);
}

/** IPv4 routes from /proc/net/route (addresses in little-endian hex), the default route left out. */
function readRoutes(): { start: number; size: number }[] {
  return readFileSync('/proc/net/route', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 7)
    .map((fields) => ({ start: littleEndian(fields[1] ?? '0'), mask: littleEndian(fields[7] ?? '0') }))
    .filter((route) => route.mask !== 0)
    .map((route) => ({ start: route.start, size: 2 ** 32 - route.mask }));
}

function littleEndian(hex: string): number {
  const n = Number.parseInt(hex, 16);
  return ipNumber([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}

function ipNumber(octets: number[]): number {
  return octets.reduce((n, octet) => n * 256 + octet, 0);
}

/** Bridges with an IPv4 address in `cidr` (a /20): this daemon's default bridge and its networks' br-<id>. */
async function bridgesIn(cidr: string): Promise<string[]> {
  const { stdout } = await execa('ip', ['-j', '-4', 'addr', 'show', 'type', 'bridge']);
  const [base = '', bits = '32'] = cidr.split('/');
  const start = ipNumber(base.split('.').map(Number));
  const size = 2 ** (32 - Number(bits));
  // Links without an IPv4 address come as {}.
  const links = JSON.parse(stdout) as { ifname?: string; addr_info?: { local: string }[] }[];
  return links
    .filter((link) =>
      (link.addr_info ?? []).some((a) => {
        const n = ipNumber(a.local.split('.').map(Number));
        return n >= start && n < start + size;
      }),
    )
    .flatMap((link) => (link.ifname ? [link.ifname] : []));
}

async function ip(args: string[]): Promise<void> {
  await execa('ip', args);
}

/** Every process on the host with its parent and command line (to find a dockerd's containerd and shims). */
export function processes(): { pid: number; ppid: number; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(entry), ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ') }];
      } catch {
        return [];
      }
    });
}

/** SIGKILL to a process this daemon started, which may be gone already. */
function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
