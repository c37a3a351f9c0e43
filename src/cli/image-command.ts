import { join } from 'node:path';
import type { Command } from 'commander';
import { addOutputOption } from './add-output-option.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { kindlabHome, projectRoot } from '../common/paths.js';
import { runSteps } from './run-steps.js';
import { BUILD_STAGES } from '../image/image-recipes.js';
import { withNodeTag } from '../image/with-node-tag.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeResult } from './write-result.js';

/** execa and the build steps load only when a command runs (not for --help). */
const loadImageModules = async () => {
  const [{ ChildProcessCommandRunner }, { formatBuildReport, formatImageList }, { listImages }, { runImageBuild }] = await Promise.all([
    import('../common/child-process-command-runner.js'),
    import('../image/format-image-list.js'),
    import('../image/image-list.js'),
    import('../image/run-image-build.js'),
  ]);
  return { ChildProcessCommandRunner, formatBuildReport, formatImageList, listImages, runImageBuild };
};

export function registerImageCommand(image: Command): void {
  const build = image
    .command('build')
    .description('build every image a kind cluster needs from Debian packages and the Go module proxy (cached by recipe hash)')
    .option('--force', 'rebuild every stage even when its output is up to date')
    .option('--only <stages...>', 'build only the named stages (see `lab image list`); the others must exist')
    .option('--node-tag <ref>', 'tag the node image as <ref> instead of replacing kindlab/node:<version> (a candidate build beside the one labs use)');
  addOutputOption(build, ['text', 'json']).action(async (flags: { force?: boolean; output: string; only?: string[]; nodeTag?: string }) => {
    const opts = { ...flags, json: flags.output === 'json' };
    const { ChildProcessCommandRunner, formatBuildReport, runImageBuild } = await loadImageModules();
    const stages = opts.nodeTag === undefined ? BUILD_STAGES : withNodeTag(BUILD_STAGES, opts.nodeTag);
    await withSignalAbort(
      (signal) =>
        process.stderr.write(`\n${signal}: stopping the build and removing its containers and work directories (press Ctrl-C again to quit at once)\n`),
      async (signal) => {
        const report = await runImageBuild(new ChildProcessCommandRunner(), {
          stages,
          imagesDir: join(projectRoot(), 'images'),
          // Build outputs go there: an unwritable home is reported before the first stage.
          home: checkKindlabHome(),
          force: opts.force,
          only: opts.only,
          signal,
          // --json keeps stdout parseable.
          renderer: opts.json ? 'silent' : 'default',
        });
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBuildReport(report)}\n`);
      },
    );
  });

  const save = image
    .command('save')
    .description(
      'write the node, load balancer and external etcd images with their recipe hashes into one compressed archive (for `lab image load` on other machines)',
    )
    .requiredOption('--out <file>', 'the archive to write (checked before any work)')
    .option('--force', 'replace --out if it exists')
    .option('--hosted', 'also the pod image of `lab up --host-cluster` (kindlab/dind, about 350 MB more before compression)');
  addOutputOption(save, ['text', 'json']).action(async (flags: { out: string; force?: boolean; hosted?: boolean; output: string }) => {
    const [{ ChildProcessCommandRunner }, { planImageBundleSave }, { packageVersion }, { formatBytes }] = await Promise.all([
      import('../common/child-process-command-runner.js'),
      import('../image/save-image-bundle.js'),
      import('../version/collect-version-info.js'),
      import('../common/format-bytes.js'),
    ]);
    const home = checkKindlabHome();
    await withInterrupt(async (signal) => {
      const plan = planImageBundleSave(new ChildProcessCommandRunner(), {
        out: flags.out,
        force: flags.force ?? false,
        stages: BUILD_STAGES,
        workDir: join(home, 'tmp'),
        kindlabVersion: packageVersion(),
        hosted: flags.hosted ?? false,
        signal,
      });
      const savedText = (result: ReturnType<typeof plan.result>): string =>
        `wrote ${result.path}: ${formatBytes(result.bytes, 'decimal')} (${result.compression}), ${result.manifest.images.length} images, in ${result.seconds.toFixed(1)}s\n` +
        `on another machine: lab host prepare && lab image load ${result.path} && lab up single\n`;
      await runPlan(plan, flags.output, savedText);
    });
  });

  const load = image
    .command('load')
    .description(
      'import an archive from `lab image save`: checks its manifest and checksums, loads the images and checks their ids, so `lab up` runs without a build',
    )
    .argument('<file>', 'the archive `lab image save --out` wrote');
  addOutputOption(load, ['text', 'json']).action(async (file: string, flags: { output: string }) => {
    const [{ ChildProcessCommandRunner }, { planImageBundleLoad }] = await Promise.all([
      import('../common/child-process-command-runner.js'),
      import('../image/load-image-bundle.js'),
    ]);
    const home = checkKindlabHome();
    await withInterrupt(async (signal) => {
      const plan = planImageBundleLoad(new ChildProcessCommandRunner(), { file, workDir: join(home, 'tmp'), home, signal });
      const loadedText = (result: ReturnType<typeof plan.result>): string =>
        `loaded ${result.manifest.images.map((i) => i.refs[0]).join(', ')} in ${result.seconds.toFixed(1)}s (recorded in ${result.record}); \`lab up\` uses them without a build\n`;
      await runPlan(plan, flags.output, loadedText);
    });
  });

  const list = image.command('list').description('show each built image with its Kubernetes version, size, recipe hash and whether it is current');
  addOutputOption(list, ['text', 'json']).action(async (flags: { output: string }) => {
    const opts = { json: flags.output === 'json' };
    const { ChildProcessCommandRunner, formatImageList, listImages } = await loadImageModules();
    const entries = await listImages(new ChildProcessCommandRunner(), {
      stages: BUILD_STAGES,
      imagesDir: join(projectRoot(), 'images'),
      home: kindlabHome(),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(entries, null, 2)}\n` : `${formatImageList(entries)}\n`);
  });
}

/** Save and load: runs the plan's steps (progress on stderr, or JSON events), then prints its result. */
async function runPlan<T>(plan: { steps: Parameters<typeof runSteps>[0]; result(): T }, output: string, text: (result: T) => string): Promise<void> {
  await runSteps(plan.steps, { json: output === 'json', ownSignals: true });
  writeResult(output === 'json', plan.result(), text);
}

/** Save and load: the first Ctrl-C aborts the running command, whose step removes its partial files. */
async function withInterrupt(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  await withSignalAbort((signal) => process.stderr.write(`\n${signal}: stopping and removing the partial files\n`), work);
}
