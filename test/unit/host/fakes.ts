import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, RunOptions } from '../../../src/common/command-runner.js';
import { FakeRunner as SharedFakeRunner } from '../support/fake-runner.js';
import type { DockerdProcess } from '../../../src/host/dockerd-process.js';
import type { HostFilesystem, PathStat } from '../../../src/host/host-filesystem.js';
import type { HostPaths } from '../../../src/host/host-paths.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'host');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

type Answer = Partial<Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'>> | 'enoent';

/** The shared fake runner, answering from a (command, args, options) handler as the host tests write them. */
export class FakeRunner extends SharedFakeRunner {
  constructor(answer: (command: string, args: readonly string[], options: RunOptions) => Answer) {
    super((call) => answer(call.command, call.args, call.options));
  }

  argv(): string[] {
    return this.lines();
  }
}

/** The host paths the unit tests prepare: the system defaults, with the state file next to daemon.json. */
export const PATHS: HostPaths = {
  daemonJson: '/etc/docker/daemon.json',
  wrapperPath: '/usr/local/bin/kindlab-runc',
  dockerdPidFile: '/var/run/docker.pid',
  stateFile: '/etc/docker/kindlab-host-state.json',
  buildDir: '/var/cache/kindlab/runtime-wrapper',
};

/**
 * An in-memory filesystem; `executables` are what findExecutable finds on PATH. Every path is
 * owned by root with mode 0644 (files) or 0755 (directories, including every parent of a
 * known path) unless `owners`/`modes` say otherwise.
 */
export class FakeFilesystem implements HostFilesystem {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>();
  readonly writes: string[] = [];
  /** Atomic writes (temporary file + rename), with the mode they were given. */
  readonly atomicWrites: { path: string; mode: number }[] = [];
  readonly removed: string[] = [];
  readonly owners = new Map<string, number>();
  readonly modes = new Map<string, number>();
  executables = new Map<string, string>();
  free = 70 * 1024 ** 3;
  readOnly = new Set<string>();

  constructor(files: Record<string, string | Buffer> = {}) {
    for (const [path, content] of Object.entries(files)) this.files.set(path, Buffer.from(content));
  }

  async readText(path: string): Promise<string | undefined> {
    return this.files.get(path)?.toString('utf8');
  }
  async readBytes(path: string): Promise<Buffer | undefined> {
    return this.files.get(path);
  }
  async writeText(path: string, text: string): Promise<void> {
    await this.writeBytes(path, Buffer.from(text));
  }
  async writeBytes(path: string, bytes: Buffer): Promise<void> {
    if (this.readOnly.has(path)) throw Object.assign(new Error(`EROFS: ${path}`), { code: 'EROFS' });
    this.writes.push(path);
    this.files.set(path, bytes);
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path) || this.dirs.has(path);
  }
  async mkdirp(path: string, mode?: number): Promise<void> {
    if (!(await this.stat(path)) && mode !== undefined) this.modes.set(path, mode);
    this.dirs.add(path);
  }
  async writeAtomic(path: string, bytes: Buffer, mode: number): Promise<void> {
    if (this.readOnly.has(path)) throw Object.assign(new Error(`EROFS: ${path}`), { code: 'EROFS' });
    this.atomicWrites.push({ path, mode });
    this.writes.push(path);
    this.files.set(path, bytes);
    this.modes.set(path, mode);
  }
  async stat(path: string): Promise<PathStat | undefined> {
    const isFile = this.files.has(path);
    const isDirectory = !isFile && (path === '/' || this.dirs.has(path) || [...this.files.keys(), ...this.dirs].some((p) => p.startsWith(`${path}/`)));
    if (!isFile && !isDirectory) return undefined;
    return { uid: this.owners.get(path) ?? 0, mode: this.modes.get(path) ?? (isFile ? 0o644 : 0o755), isDirectory, isSymbolicLink: false };
  }
  async remove(path: string): Promise<void> {
    this.removed.push(path);
    this.files.delete(path);
  }
  async removeEmptyDir(path: string): Promise<boolean> {
    const empty = ![...this.files.keys(), ...this.dirs].some((p) => p.startsWith(`${path}/`));
    if (!empty || !this.dirs.has(path)) return false;
    this.dirs.delete(path);
    this.removed.push(path);
    return true;
  }
  async freeBytes(): Promise<number> {
    return this.free;
  }
  async findExecutable(name: string): Promise<string | undefined> {
    return this.executables.get(name);
  }
  async readTree(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
    return [...this.files.entries()]
      .filter(([path]) => path.startsWith(`${dir}/`))
      .map(([path, bytes]) => ({ path: path.slice(dir.length + 1), bytes }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
}

export class FakeDockerd implements DockerdProcess {
  readonly events: string[] = [];
  constructor(
    private running: number | undefined,
    private readonly onEvent: (event: string) => void = () => {},
  ) {}

  async start(logFile: string, args: readonly string[] = []): Promise<number> {
    this.events.push(`start ${[logFile, ...args].join(' ')}`);
    this.running = 4242;
    this.onEvent('start');
    return 4242;
  }
  async pid(_pidFile: string): Promise<number | undefined> {
    return this.running;
  }
  reload(pid: number): void {
    this.events.push(`reload ${pid}`);
    this.onEvent('reload');
  }
  async stop(pid: number): Promise<void> {
    this.events.push(`stop ${pid}`);
    this.running = undefined;
    this.onEvent('stop');
  }
}
