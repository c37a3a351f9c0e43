import { join } from 'node:path';
import type { Command } from 'commander';
import { Listr } from 'listr2';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { ExecaCommandRunner } from '../common/execa-command-runner.js';
import { kindlabHome, projectRoot } from '../common/paths.js';
import { formatBuildReport, formatImageList } from '../image/format-image-list.js';
import { planImageBuild, type ImageBuildContext } from '../image/image-build.js';
import { listImages } from '../image/image-list.js';
import { BUILD_STAGES } from '../image/image-recipes.js';

export function registerImageCommand(program: Command): void {
  const image = program.command('image').description('build and list the offline kind images (node, components, load balancer)');

  image
    .command('build')
    .description('build every image a kind cluster needs from Debian packages and the Go module proxy (cached by recipe hash)')
    .option('--force', 'rebuild every stage even when its output is up to date')
    .option('--only <stages...>', 'build only the named stages (see `lab image list`); the others must exist')
    .option('--json', 'print the build report as JSON')
    .action(async (opts: { force?: boolean; json?: boolean; only?: string[] }) => {
      const runner = new ExecaCommandRunner();
      const plan = await planImageBuild(runner, {
        stages: BUILD_STAGES,
        imagesDir: join(projectRoot(), 'images'),
        // Build outputs go there: an unwritable home is reported before the first stage.
        home: checkKindlabHome(),
        force: opts.force,
        only: opts.only,
      });
      const ctx: ImageBuildContext = { outcomes: [] };
      // listr2 falls back to its line-by-line renderer without a TTY (CI, logs); --json keeps stdout parseable.
      await new Listr<ImageBuildContext>(plan.tasks, {
        rendererOptions: { collapseSkips: false },
        silentRendererCondition: opts.json === true,
        exitOnError: true,
      }).run(ctx);
      const report = await plan.finish(ctx);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBuildReport(report)}\n`);
    });

  image
    .command('list')
    .description('show each built image with its Kubernetes version, size, recipe hash and whether it is current')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const entries = await listImages(new ExecaCommandRunner(), {
        stages: BUILD_STAGES,
        imagesDir: join(projectRoot(), 'images'),
        home: kindlabHome(),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(entries, null, 2)}\n` : `${formatImageList(entries)}\n`);
    });
}
