import { isIP } from 'node:net';
import type { Command } from 'commander';
import { UsageError } from '../common/kindlab-error.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { sleep } from '../common/sleep.js';
import { abortOnSignals } from './abort-on-signals.js';
import { durationOption } from './duration-option.js';

interface ServeFlags {
  port: string;
  listen: string;
  open?: boolean;
  lang: string;
  interval: number;
}

export function registerServeCommand(serve: Command): void {
  serve
    .argument('[name]', 'the lab to show (default: every lab, behind an index page)')
    .option('--port <port>', 'TCP port to listen on (0 picks a free one)', '8765')
    .option('--listen <address>', 'address to bind; anything but 127.0.0.1 exposes the page (with its token) to that network', '127.0.0.1')
    .option('--open', 'open the page in the default browser (xdg-open)')
    .option('--lang <language>', 'annotation texts from templates/annotations/<language>.yaml', 'en')
    .addOption(durationOption('--interval <duration>', 'how often process trees are re-read besides on every pod change', 10_000))
    .action(async (name: string | undefined, flags: ServeFlags) => {
      parseOptionalLabName(name);
      const port = Number(flags.port);
      if (!/^\d+$/.test(flags.port) || port > 65535) throw new UsageError(`invalid --port "${flags.port}": expected 0 to 65535`, { hint: 'e.g. --port 8765' });
      if (isIP(flags.listen) === 0) throw new UsageError(`invalid --listen "${flags.listen}": expected an IP address`, { hint: 'e.g. --listen 127.0.0.1' });
      const [{ loadAnnotations }, { connectDocker, defaultInspectDependencies }, { defaultLabDeps }, { serveLabs }, { hostedLabRecords }, { hostedServedLab }] =
        await Promise.all([
          import('../report/annotations.js'),
          import('./connect-docker.js'),
          import('../cluster/lab-deps.js'),
          import('../serve/serve-labs.js'),
          import('./hosted-statuses.js'),
          import('./hosted-served-labs.js'),
        ]);
      const texts = loadAnnotations(flags.lang);
      // Hosted labs (`lab up --host-cluster`) are read through their API; a page of one needs no Docker here.
      const hosted = await hostedLabRecords(name);
      const onlyHosted = name !== undefined && hosted.length === 1;
      const local = onlyHosted ? undefined : { inspect: defaultInspectDependencies(await connectDocker()), lab: defaultLabDeps() };
      const serving = await serveLabs(
        { ...(local ? { local } : {}), api: await Promise.all(hosted.map((record) => hostedServedLab(record))) },
        { ...(name ? { name } : {}), listen: flags.listen, port, texts, intervalMs: flags.interval },
      );
      const stopped = new Promise<void>((resolve) => {
        const interrupt = abortOnSignals(() => process.stderr.write('stopping lab serve\n'));
        // The handlers stay while stopping: a second Ctrl-C exits at once (130), as abortOnSignals says.
        interrupt.signal.addEventListener('abort', () => {
          // A node read in flight is not waited for: after 2 s the server is considered stopped. A hosted
          // lab's agents are removed first (their kubelet takes a few seconds to confirm).
          void Promise.race([serving.stop(), sleep(hosted.length > 0 ? 60_000 : 2000)]).then(() => {
            interrupt.dispose();
            resolve();
          });
        });
      });
      process.stdout.write(`serving ${serving.labs.join(', ')} at ${serving.url}\n(Ctrl-C stops)\n`);
      if (flags.open) {
        const { spawn } = await import('node:child_process');
        spawn('xdg-open', [serving.url], { stdio: 'ignore', detached: true })
          .on('error', () => process.stderr.write('could not run xdg-open: open the URL above yourself\n'))
          .unref();
      }
      await stopped;
      // Watches, timers and the socket are closed; a node read still in flight or the API client's
      // idle keep-alive sockets must not hold the process once the user asked it to stop.
      setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
    });
}
