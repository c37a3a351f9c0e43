import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CommandError, type CommandResult, type RunOptions } from '../../../src/common/command-runner.js';
import { KindlabError } from '../../../src/common/kindlab-error.js';
import type { ProcessTable } from '../../../src/common/run-owner.js';
import { buildPaths } from '../../../src/image/build-paths.js';
import type { BuildStage } from '../../../src/image/build-stages.js';
import { runImageBuild } from '../../../src/image/run-image-build.js';
import { FakeRunner, type RecordedCall } from '../support/fake-runner.js';
import { toolRecipeDirs } from './tool-recipe-dirs.js';

/** pid 100 is this build, pid 200 another live one; pid 300 has exited. */
const processes: ProcessTable = { host: 'box', pid: 100, boot: 'boot-1', startTicks: (pid) => ({ 100: '5000', 200: '7000' })[pid] };

const PRELOADED = ['kindlab/staging:1', 'registry.k8s.io/pause:3.10.1'];
const stages: BuildStage[] = [
  { kind: 'go', name: 'tool', title: 'tool', moduleDir: 'tool', groups: [{ packages: ['.'], cgo: false }], tags: [], ldflags: '-s -w' },
  { kind: 'image', name: 'staging', title: 'staging', refs: [PRELOADED[0]!], recipeDir: 'tool', contextFiles: [], binaries: [] },
  { kind: 'image', name: 'pause-image', title: 'pause', refs: [PRELOADED[1]!], recipeDir: 'tool', contextFiles: [], binaries: [] },
  { kind: 'node', name: 'node', title: 'node', ref: 'kindlab/node:try', base: 'staging', preload: ['pause-image'], kubernetesVersion: 'v1.34.4' },
];

const dirs = toolRecipeDirs;

/**
 * A Docker daemon holding the preloaded images (any hash: --only skips their stages). Calls matching
 * `hangs` behave like a long command under the real runner: they end only when the signal aborts,
 * with the CommandError execa's cancelSignal produces (no exit code).
 */
class BuildRunner extends FakeRunner {
  readonly hanging: RecordedCall[] = [];
  constructor(
    private readonly hangs: (call: RecordedCall) => boolean,
    containers = '',
  ) {
    super((call) => {
      if (call.args[0] === 'ps') return { stdout: containers };
      if (call.command === 'go' && call.args[0] === 'env') return { stdout: 'go1.26.8\n' };
      if (call.args[0] === 'image' && call.args[1] === 'inspect') {
        const ref = call.args.at(-1)!;
        if (!PRELOADED.includes(ref)) return { exitCode: 1, stderr: `Error: No such image: ${ref}` };
        return { stdout: JSON.stringify({ Id: `sha256:${ref.length}`, Size: 1, Created: '2026-01-01T00:00:00Z', Config: { Labels: {} } }) };
      }
      if (call.args.includes('list')) return { stdout: 'registry.k8s.io/pause:3.10.1\n' };
      if (call.args.includes('pgrep')) return { exitCode: 1 };
      return undefined;
    });
  }
  override async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const call = { command, args, options };
    if (!this.hangs(call)) return super.run(command, args, options);
    this.calls.push(call);
    this.hanging.push(call);
    const signal = options.signal;
    if (!signal) throw new Error(`${command} ${args.join(' ')} was started without a signal: Ctrl-C could not stop it`);
    return new Promise((_resolve, reject) => {
      const cancel = () => reject(new CommandError(command, args, undefined, new Error('This operation was aborted')));
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('the build never reached the hanging command');
}

const ctrImport = (call: RecordedCall) => call.args[0] === 'exec' && call.args.includes('import');

describe('runImageBuild', () => {
  it('on SIGINT during the node stage removes the build container and the preload directory, then exits 130', async () => {
    const { imagesDir, home } = await dirs();
    const runner = new BuildRunner(ctrImport);
    const abort = new AbortController();
    const build = runImageBuild(runner, { stages, imagesDir, home, only: ['node'], runId: 'run1', signal: abort.signal, renderer: 'silent', processes });
    await until(() => runner.hanging.length > 0);
    const paths = buildPaths(home);
    expect(existsSync(paths.preloadDir())).toBe(true);
    expect(existsSync(paths.lock())).toBe(true);
    abort.abort('SIGINT');

    const error = await build.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KindlabError);
    expect((error as KindlabError).exitCode).toBe(130);
    expect((error as KindlabError).message).toMatch(/^lab image build interrupted by SIGINT/);
    const lines = runner.lines((c) => c.command === 'docker' && c.args[0] !== 'image');
    expect(lines.filter((l) => /^docker (create|start|rm|commit)/.test(l)).map((l) => l.split(' --')[0])).toEqual([
      'docker create',
      'docker start kindlab-image-build-node-run1',
      'docker rm',
    ]);
    expect(lines.at(-1)).toBe('docker rm --force kindlab-image-build-node-run1');
    expect(runner.calls.find((c) => c.args[0] === 'create')!.args).toContain('dev.kindlab.run-owner=box boot-1 100 5000');
    // The cleanup itself must not be cancelled by the interrupt that triggered it.
    expect(runner.calls.at(-1)!.options.signal).toBeUndefined();
    expect(existsSync(paths.preloadDir())).toBe(false);
    expect(existsSync(paths.lock())).toBe(false);
  });

  it('on SIGTERM during a Go build exits 143 and starts no further stage', async () => {
    const { imagesDir, home } = await dirs();
    const runner = new BuildRunner((call) => call.command === 'go' && call.args[0] === 'build');
    const abort = new AbortController();
    const build = runImageBuild(runner, {
      stages,
      imagesDir,
      home,
      only: ['tool', 'node'],
      runId: 'run1',
      signal: abort.signal,
      renderer: 'silent',
      processes,
    });
    await until(() => runner.hanging.length > 0);
    abort.abort('SIGTERM');
    await expect(build).rejects.toMatchObject({ exitCode: 143 });
    expect(runner.lines((c) => c.args[0] === 'save' || c.args[0] === 'create')).toEqual([]);
    expect(existsSync(buildPaths(home).lock())).toBe(false);
  });

  it('refuses a second build in the same KINDLAB_HOME while the first runs, and takes over the lock of a dead one', async () => {
    const { imagesDir, home } = await dirs();
    const first = new BuildRunner(ctrImport);
    const abort = new AbortController();
    const running = runImageBuild(first, { stages, imagesDir, home, only: ['node'], runId: 'first', signal: abort.signal, renderer: 'silent', processes });
    await until(() => first.hanging.length > 0);

    // The same home from another live process (pid 200).
    const other: ProcessTable = { ...processes, pid: 200 };
    const second = new BuildRunner(() => false);
    const refused = runImageBuild(second, {
      stages,
      imagesDir,
      home,
      only: ['node'],
      runId: 'second',
      signal: new AbortController().signal,
      renderer: 'silent',
      processes: other,
    });
    await expect(refused).rejects.toThrow(/another lab image build is running in this KINDLAB_HOME: build first \(pid 100\)/);
    expect(second.lines((c) => c.args[0] === 'create' || c.args[0] === 'save')).toEqual([]);
    abort.abort('SIGINT');
    await expect(running).rejects.toMatchObject({ exitCode: 130 });

    // A lock left by pid 300, which no longer runs: taken over.
    await writeFile(buildPaths(home).lock(), `${JSON.stringify({ runId: 'dead', owner: 'box boot-1 300 4000', startedAt: '2026-01-01T00:00:00Z' })}\n`);
    const third = new BuildRunner(() => false);
    await runImageBuild(third, {
      stages,
      imagesDir,
      home,
      only: ['node'],
      runId: 'third',
      signal: new AbortController().signal,
      renderer: 'silent',
      processes: other,
    });
    expect(third.lines((c) => c.args[0] === 'commit')).toHaveLength(1);
    expect(existsSync(buildPaths(home).lock())).toBe(false);
  });

  it("removes build containers of killed builds from any home, never a live build's or a node container", async () => {
    const { imagesDir, home } = await dirs();
    // The first two lines as Docker 20.10 printed them for two containers created with these labels (blank
    // ones as the node image's commit leaves them): docker ps --all --filter label=dev.kindlab.image-build-run
    // --format '{{.ID}}\t{{.Label "dev.kindlab.image-build-run"}}\t{{.Label "dev.kindlab.run-owner"}}'.
    // Then a build running in another home (pid 200) and one on another host.
    const containers = [
      '408adec8e4bd\t\t',
      'c4625b44708d\tdead0001\tbox boot-1 300 6000',
      'c-live\tlive0001\tbox boot-1 200 7000',
      'c-remote\tremote01\tother boot-9 300 6000',
    ].join('\n');
    const runner = new BuildRunner(() => false, containers);
    await runImageBuild(runner, {
      stages,
      imagesDir,
      home,
      only: ['node'],
      runId: 'run1',
      signal: new AbortController().signal,
      renderer: 'silent',
      processes,
    });
    expect(runner.lines((c) => c.args[0] === 'rm')).toEqual(['docker rm --force c4625b44708d', 'docker rm --force kindlab-image-build-node-run1']);
  });
});
