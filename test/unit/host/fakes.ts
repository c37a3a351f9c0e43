import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, RunOptions } from '../../../src/common/command-runner.js';
import { FakeRunner as SharedFakeRunner } from '../support/fake-runner.js';
import type { DockerdProcess } from '../../../src/host/dockerd-process.js';
import type { HostFilesystem } from '../../../src/host/host-filesystem.js';

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

/** An in-memory filesystem; `executables` are what findExecutable finds on PATH. */
export class FakeFilesystem implements HostFilesystem {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>();
  readonly writes: string[] = [];
  readonly installed: { from: string; to: string }[] = [];
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
  async mkdirp(path: string): Promise<void> {
    this.dirs.add(path);
  }
  async installExecutable(from: string, to: string): Promise<void> {
    this.installed.push({ from, to });
    const bytes = this.files.get(from);
    if (!bytes) throw new Error(`ENOENT: ${from}`);
    this.files.set(to, bytes);
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
  constructor(private running: number | undefined, private readonly onEvent: (event: string) => void = () => {}) {}

  async start(logFile: string): Promise<number> {
    this.events.push(`start ${logFile}`);
    this.running = 4242;
    this.onEvent('start');
    return 4242;
  }
  async pid(): Promise<number | undefined> {
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
