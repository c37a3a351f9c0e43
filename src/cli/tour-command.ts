import type { Command } from 'commander';
import type { HostedLabRecord } from '../hosted/hosted-lab-record.js';
import type { ApiPathDependencies } from '../inspect/k8s/api-inspect-dependencies.js';
import { checkOptionalOutputFile } from '../common/check-output-path.js';
import { KindlabError } from '../common/kindlab-error.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { DEFAULT_TOUR_LAB } from '../labs/default-tour-lab.js';
import type { PreparedTour, TourDependencies } from '../labs/prepare-tour.js';
import type { ServingLabs } from '../serve/serve-labs.js';
import type { failedChecks } from '../labs/run-tour.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import { addOutputOption } from './add-output-option.js';
import { durationOption } from './duration-option.js';

const FORMATS = ['text', 'md'] as const;
type TourFormat = (typeof FORMATS)[number];

interface TourFlags {
  lab: string;
  auto?: boolean;
  serve?: boolean;
  output: TourFormat;
  out?: string;
  wait: number;
}

export function registerTourCommand(command: Command): void {
  const tour = command
    .argument('[name]', 'cluster name (optional when only one cluster exists)')
    .option('--lab <lab>', 'lab under labs/ (or a path to a lab .yaml file)', DEFAULT_TOUR_LAB)
    .option('--auto', 'run every step without waiting for a key (CI, recordings); exit 1 if a check fails')
    .option('--serve', "also serve the lab's live page (as `lab serve`, 127.0.0.1, a free port): each step highlights what it talks about");
  addOutputOption(tour, FORMATS, { formatAlias: true })
    .option('--out <file>', "write the output to a file instead of stdout (md: a handout with this cluster's real outputs)")
    .addOption(durationOption('--wait <duration>', 'how long a step may wait for the cluster', 180_000))
    .action(async (name: string | undefined, flags: TourFlags) => {
      parseOptionalLabName(name);
      // The lab file and the output path are checked before the tour touches the cluster.
      const { loadTourLab } = await import('../labs/load-tour-lab.js');
      loadTourLab(flags.lab);
      const out = checkOptionalOutputFile(flags.out, '--out');
      await runTourCommand(name, { lab: flags.lab, auto: flags.auto, serve: flags.serve, format: flags.output, out, waitMs: flags.wait });
    });
}

async function runTourCommand(
  name: string | undefined,
  flags: { lab: string; auto?: boolean; serve?: boolean; format: TourFormat; out?: string; waitMs: number },
): Promise<void> {
  const interactive = !flags.auto && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // The handout or file gets the content; progress goes to stderr then, so stdout stays clean for `> handout.md`.
  const live = flags.format === 'text' && !flags.out ? process.stdout : process.stderr;
  const [{ renderTourMarkdown }, { renderTourEvent, renderTourHeader, renderTourSummary }, { failedChecks: findFailedChecks }, { writePrivateFile }] =
    await Promise.all([
      import('../labs/render-tour-markdown.js'),
      import('../labs/render-tour-text.js'),
      import('../labs/run-tour.js'),
      import('../common/write-private-file.js'),
    ]);
  const interrupt = abortOnSignals(() => {});
  let tour: PreparedTour | undefined;
  let serving: ServingLabs | undefined;
  let text = '';
  const emit = (chunk: string): void => {
    text += chunk;
    live.write(chunk);
  };
  let interrupted: unknown;
  let apiDeps: ApiPathDependencies | undefined;
  try {
    // Loaded after the checks: the Kubernetes client takes seconds to load.
    const [{ prepareTour, defaultTourDependencies }, { connectDocker }, { hostedLabRecords }, { hostedApiDependencies }] = await Promise.all([
      import('../labs/prepare-tour.js'),
      import('./connect-docker.js'),
      import('./hosted-statuses.js'),
      import('./hosted-served-labs.js'),
    ]);
    // A hosted lab (`lab up --host-cluster`): its nodes are read through its API, by agent pods inside it.
    const [hosted] = name ? await hostedLabRecords(name) : [];
    if (hosted) apiDeps = await hostedApiDependencies(hosted, interrupt.signal);
    const deps = apiDeps ? { ...apiDeps, now: () => new Date() } : defaultTourDependencies(await connectDocker());
    tour = await prepareTour({ ...(name ? { cluster: name } : {}), lab: flags.lab, signal: interrupt.signal, waitMs: flags.waitMs }, deps);
    if (flags.serve) {
      serving = await startTourPage(tour.run.record.topology.cluster, deps, hosted && apiDeps ? { record: hosted, deps: apiDeps } : undefined);
      process.stderr.write(`live page of the tour at ${serving.url}\n`);
    }
    emit(renderTourHeader(tour.run.record));
    for (;;) {
      const next = await tour.run.events.next();
      if (next.done) break;
      const event = next.value;
      emit(renderTourEvent(event));
      if (serving && event.kind === 'step-start') {
        const { chapter, step, number } = event;
        serving.feeds.get(tour.run.record.topology.cluster)?.tour({ number, chapter: chapter.title, step: step.title, highlight: step.highlight });
      }
      if (interactive && event.kind === 'step-start') {
        if ((await waitForKey('[Enter] run this demo   [q] quit')) === 'quit') {
          await tour.run.events.return(tour.run.record);
          break;
        }
      }
    }
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    interrupted = error;
  } finally {
    interrupt.dispose();
    await serving?.stop();
    if (tour) {
      process.stderr.write('cleaning up the objects the tour created...\n');
      const report = await tour.cleanup();
      process.stderr.write(`removed ${report.deleted.length} object(s) labelled for this tour\n`);
    }
    await apiDeps?.dispose();
  }
  if (!tour) return;
  const record = tour.run.record;
  emit(renderTourSummary(record));
  if (flags.out || flags.format === 'md') {
    const output = flags.format === 'md' ? renderTourMarkdown(record) : text;
    if (flags.out) writePrivateFile(flags.out, output);
    else process.stdout.write(output);
  }
  if (interrupted) {
    throw new KindlabError('tour interrupted; its objects were removed', { exitCode: exitCodeForSignal(interrupt.signal.reason) });
  }
  reportFailures(findFailedChecks(record));
}

function reportFailures(failed: ReturnType<typeof failedChecks>): void {
  if (failed.length === 0) return;
  const names = failed.map(({ step, check }) => `${step.number} ${step.step.id}: ${check.name}`).join('; ');
  throw new KindlabError(`${failed.length} check(s) failed: ${names}`);
}

/** Raw mode only while waiting, so Ctrl-C during a running demo is an ordinary SIGINT. */
function waitForKey(prompt: string): Promise<'next' | 'quit'> {
  const stdin = process.stdin;
  process.stdout.write(`\n${prompt} `);
  return new Promise((resolve) => {
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer): void => {
      const key = data.toString('utf8');
      const choice =
        key === 'q' || key === 'Q' || key === '\u0003' || key === '\u001b' ? 'quit' : key === '\r' || key === '\n' || key === ' ' ? 'next' : undefined;
      if (!choice) return;
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      resolve(choice);
    };
    stdin.on('data', onData);
  });
}

/**
 * `lab serve` for the tour's lab, inside the tour's process: the tour tells its feed what each step
 * talks about. A hosted lab's page reads it through the tour's own agents (the tour removes them).
 */
async function startTourPage(cluster: string, deps: TourDependencies, hosted?: { record: HostedLabRecord; deps: ApiPathDependencies }): Promise<ServingLabs> {
  const [{ loadAnnotations }, { defaultLabDeps }, { serveLabs }, { hostedServedLab }] = await Promise.all([
    import('../report/annotations.js'),
    import('../cluster/lab-deps.js'),
    import('../serve/serve-labs.js'),
    import('./hosted-served-labs.js'),
  ]);
  const sources = hosted ? { api: [await hostedServedLab(hosted.record, hosted.deps)] } : { local: { inspect: deps, lab: defaultLabDeps() } };
  return serveLabs(sources, { name: cluster, listen: '127.0.0.1', port: 0, texts: loadAnnotations('en'), intervalMs: 5000 });
}
