import type { Command } from 'commander';
import { checkOutputFile } from '../common/check-output-path.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { writePrivateFile } from '../common/write-private-file.js';
import { DEFAULT_TOUR_LAB, loadTourLab } from '../labs/load-tour-lab.js';
import type { PreparedTour } from '../labs/prepare-tour.js';
import { renderTourMarkdown } from '../labs/render-tour-markdown.js';
import { renderTourEvent, renderTourHeader, renderTourSummary } from '../labs/render-tour-text.js';
import { failedChecks, type TourRecord } from '../labs/run-tour.js';

const FORMATS = ['text', 'md'] as const;
type TourFormat = (typeof FORMATS)[number];

interface TourFlags {
  lab: string;
  auto?: boolean;
  format: string;
  out?: string;
  wait: string;
}

export function registerTourCommand(program: Command): void {
  program
    .command('tour')
    .description('walk through a workshop on a live cluster: narration, real demos, checks (Enter to go on, q to quit)')
    .argument('[name]', 'cluster name (optional when only one cluster exists)')
    .option('--lab <lab>', 'lab under labs/ (or a path to a lab .yaml file)', DEFAULT_TOUR_LAB)
    .option('--auto', 'run every step without waiting for a key (CI, recordings); exit 1 if a check fails')
    .option('--format <format>', `output: ${FORMATS.join(' or ')} (md writes a handout with this cluster's real outputs)`, 'text')
    .option('--out <file>', 'write the output to a file instead of stdout')
    .option('--wait <seconds>', 'how long a step may wait for the cluster', '180')
    .action(async (name: string | undefined, flags: TourFlags) => {
      if (!(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`invalid --format ${JSON.stringify(flags.format)}`, { hint: `use one of ${FORMATS.join(', ')}` });
      }
      const waitSeconds = Number(flags.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds <= 0) throw new UsageError(`invalid --wait ${JSON.stringify(flags.wait)}: expected seconds`);
      if (name !== undefined) parseLabName(name);
      // The lab file and the output path are checked before the tour touches the cluster.
      loadTourLab(flags.lab);
      const out = flags.out === undefined ? undefined : checkOutputFile(flags.out, '--out');
      await runTourCommand(name, { ...flags, out, format: flags.format as TourFormat, waitMs: waitSeconds * 1000 });
    });
}

async function runTourCommand(name: string | undefined, flags: { lab: string; auto?: boolean; format: TourFormat; out?: string; waitMs: number }): Promise<void> {
  const interactive = !flags.auto && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // The handout or file gets the content; progress goes to stderr then, so stdout stays clean for `> handout.md`.
  const live = flags.format === 'text' && !flags.out ? process.stdout : process.stderr;
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => abort.abort(new KindlabError('interrupted', { exitCode: signal === 'SIGTERM' ? 143 : 130 }));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let tour: PreparedTour | undefined;
  let text = '';
  const emit = (chunk: string): void => {
    text += chunk;
    live.write(chunk);
  };
  let interrupted: unknown;
  try {
    // Loaded after the checks: the Kubernetes client takes seconds to load.
    const [{ prepareTour, defaultTourDependencies }, { connectDocker }] = await Promise.all([import('../labs/prepare-tour.js'), import('./connect-docker.js')]);
    const deps = defaultTourDependencies(await connectDocker());
    tour = await prepareTour({ ...(name ? { cluster: name } : {}), lab: flags.lab, signal: abort.signal, waitMs: flags.waitMs }, deps);
    emit(renderTourHeader(tour.run.record));
    for (;;) {
      const next = await tour.run.events.next();
      if (next.done) break;
      const event = next.value;
      emit(renderTourEvent(event));
      if (interactive && event.kind === 'step-start') {
        if ((await waitForKey('[Enter] run this demo   [q] quit')) === 'quit') {
          await tour.run.events.return(tour.run.record);
          break;
        }
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    interrupted = error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (tour) {
      process.stderr.write('cleaning up the objects the tour created...\n');
      const report = await tour.cleanup();
      process.stderr.write(`removed ${report.deleted.length} object(s) labelled for this tour\n`);
    }
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
    const exitCode = abort.signal.reason instanceof KindlabError ? abort.signal.reason.exitCode : 130;
    throw new KindlabError('tour interrupted; its objects were removed', { exitCode });
  }
  reportFailures(record);
}

function reportFailures(record: TourRecord): void {
  const failed = failedChecks(record);
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
      const choice = key === 'q' || key === 'Q' || key === '\u0003' || key === '\u001b' ? 'quit' : key === '\r' || key === '\n' || key === ' ' ? 'next' : undefined;
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
