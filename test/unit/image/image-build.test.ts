import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Listr } from 'listr2';
import { describe, expect, it } from 'vitest';
import { buildPaths } from '../../../src/image/build-paths.js';
import type { BuildStage } from '../../../src/image/build-stages.js';
import { formatBuildReport } from '../../../src/image/format-image-list.js';
import { planImageBuild, type ImageBuildContext } from '../../../src/image/image-build.js';
import { FakeRunner } from '../support/fake-runner.js';
import { toolRecipeDirs } from './tool-recipe-dirs.js';

const stages: BuildStage[] = [
  { kind: 'go', name: 'tool', title: 'tool', moduleDir: 'tool', groups: [{ packages: ['.'], cgo: false }], tags: ['selinux'], ldflags: '-s -w' },
  {
    kind: 'image',
    name: 'tool-image',
    title: 'tool image',
    refs: ['kindlab/tool:1'],
    recipeDir: 'tool',
    contextFiles: [],
    binaries: [{ stage: 'tool', file: 'tool' }],
  },
];

const setup = toolRecipeDirs;

/** Answers like a Docker daemon holding images with the given hashes (or none); `docker build` retags. */
function runnerWithImages(labels: Map<string, string>) {
  return new FakeRunner((call) => {
    if (call.command === 'go' && call.args[0] === 'env') return { stdout: 'go1.26.8\n' };
    if (call.command === 'docker' && call.args[0] === 'build') {
      const hash = call.args[call.args.indexOf('--label') + 1]!.split('=')[1]!;
      call.args.forEach((arg, i) => {
        if (arg === '--tag') labels.set(call.args[i + 1]!, hash);
      });
    }
    if (call.command === 'docker' && call.args[0] === 'image' && call.args[1] === 'inspect') {
      const ref = call.args.at(-1)!;
      const hash = labels.get(ref);
      if (!hash) return { exitCode: 1, stderr: `Error: No such image: ${ref}` };
      return {
        stdout: JSON.stringify({ Id: `sha256:${hash}`, Size: 10, Created: '2026-01-01T00:00:00Z', Config: { Labels: { 'dev.kindlab.recipe-hash': hash } } }),
      };
    }
    return undefined;
  });
}

async function runPlan(runner: FakeRunner, options: { imagesDir: string; home: string }) {
  const plan = await planImageBuild(runner, { stages, runId: 'run1', ...options });
  const ctx: ImageBuildContext = { outcomes: [] };
  await new Listr<ImageBuildContext, 'silent'>(plan.tasks, { renderer: 'silent' }).run(ctx);
  return { plan, report: await plan.finish(ctx) };
}

describe('planImageBuild', () => {
  it('builds missing stages with the recipe flags and labels the images with their hash', async () => {
    const dirs = await setup();
    const runner = runnerWithImages(new Map());
    // go build would create the binary; the fake does it for the image stage to copy.
    const out = buildPaths(dirs.home).goOutput('tool');
    const realRun = runner.run.bind(runner);
    runner.run = async (command, args, options) => {
      const result = await realRun(command, args, options);
      if (command === 'go' && args[0] === 'build') await writeFile(join(out, 'tool'), 'binary');
      return result;
    };
    const { plan, report } = await runPlan(runner, dirs);
    const goBuild = runner.calls.find((c) => c.command === 'go' && c.args[0] === 'build')!;
    expect(goBuild.args).toEqual(['build', '-trimpath', '-tags', 'selinux', '-ldflags', '-s -w', '-o', `${out}/`, '.']);
    expect(goBuild.options.env).toEqual({ CGO_ENABLED: '0' });
    expect(goBuild.options.cwd).toBe(join(dirs.imagesDir, 'tool'));
    const dockerBuild = runner.calls.find((c) => c.command === 'docker' && c.args[0] === 'build')!;
    expect(dockerBuild.args).toContain(`dev.kindlab.recipe-hash=${plan.hashes.get('tool-image')}`);
    expect(dockerBuild.args).toContain('kindlab/tool:1');
    expect(report.stages.map((s) => [s.name, s.status])).toEqual([
      ['tool', 'built'],
      ['tool-image', 'built'],
    ]);
  });

  it('rebuilds nothing when every output carries its current recipe hash, and says so', async () => {
    const dirs = await setup();
    const first = await planImageBuild(runnerWithImages(new Map()), { stages, runId: 'run1', ...dirs });
    const out = buildPaths(dirs.home).goOutput('tool');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, '.recipe-hash'), `${first.hashes.get('tool')}\n`);
    const runner = runnerWithImages(new Map([['kindlab/tool:1', first.hashes.get('tool-image')!]]));
    const { report } = await runPlan(runner, dirs);
    expect(runner.calls.filter((c) => c.args[0] === 'build')).toEqual([]);
    expect(report.stages.every((s) => s.status === 'cached')).toBe(true);
    expect(formatBuildReport(report)).toMatch(/nothing rebuilt: all 2 stages up to date/);
  });

  it('rebuilds an image whose label carries an older hash', async () => {
    const dirs = await setup();
    const first = await planImageBuild(runnerWithImages(new Map()), { stages, runId: 'run1', ...dirs });
    const out = buildPaths(dirs.home).goOutput('tool');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, '.recipe-hash'), `${first.hashes.get('tool')}\n`);
    await writeFile(join(out, 'tool'), 'binary');
    const runner = runnerWithImages(new Map([['kindlab/tool:1', 'stale0000']]));
    const { report } = await runPlan(runner, dirs);
    expect(report.stages.map((s) => [s.name, s.status])).toEqual([
      ['tool', 'cached'],
      ['tool-image', 'built'],
    ]);
    // The superseded image is removed (Docker keeps it if a container still uses it).
    expect(runner.lines((c) => c.args[0] === 'image' && c.args[1] === 'rm')).toEqual(['docker image rm sha256:stale0000']);
  });

  it('refuses unknown stage names before doing anything', async () => {
    const dirs = await setup();
    const runner = runnerWithImages(new Map());
    await expect(planImageBuild(runner, { stages, runId: 'run1', ...dirs, only: ['nope'] })).rejects.toThrow(/unknown image build stage nope/);
    expect(runner.calls).toEqual([]);
  });
});
