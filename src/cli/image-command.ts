import { join } from 'node:path';
import type { Command } from 'commander';
import { abortOnSignals } from './abort-on-signals.js';
import { addOutputOption } from './add-output-option.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { kindlabHome, projectRoot } from '../common/paths.js';
import { BUILD_STAGES } from '../image/image-recipes.js';
import { withNodeTag } from '../image/with-node-tag.js';

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
    const interrupt = abortOnSignals((signal) =>
      process.stderr.write(`\n${signal}: stopping the build and removing its containers and work directories (press Ctrl-C again to quit at once)\n`),
    );
    try {
      const report = await runImageBuild(new ChildProcessCommandRunner(), {
        stages,
        imagesDir: join(projectRoot(), 'images'),
        // Build outputs go there: an unwritable home is reported before the first stage.
        home: checkKindlabHome(),
        force: opts.force,
        only: opts.only,
        signal: interrupt.signal,
        // --json keeps stdout parseable.
        renderer: opts.json ? 'silent' : 'default',
      });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBuildReport(report)}\n`);
    } finally {
      interrupt.dispose();
    }
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
