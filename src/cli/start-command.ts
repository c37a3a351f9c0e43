import type { Command } from 'commander';
import { DEFAULT_LAB_NAME, DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { parseDuration } from '../topology/parse-duration.js';
import { addOutputOption } from './add-output-option.js';
import { durationOption } from './duration-option.js';
import { withLockedLab } from './with-locked-lab.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeProgressLine } from './write-progress-line.js';
import { writeResult } from './write-result.js';

/** `lab start [name] [--wait]`: flags -> startLab; progress lines on stderr, the result on stdout. */
export function registerStartCommand(command: Command): void {
  const start = command
    .argument('[name]', `lab name, or the participant a pool lab was handed to (default ${DEFAULT_LAB_NAME})`)
    .addOption(
      durationOption('--wait <duration>', 'how long to wait for the lab to be healthy again (nodes, kube-system pods, etcd)', parseDuration(DEFAULT_WAIT)),
    );
  addOutputOption(start, ['text', 'json']).action(async (name: string | undefined, flags: { output: string; wait: number }) =>
    withLockedLab(name, async (lab, deps) => {
      const { startLab } = await import('../cluster/start-lab.js');
      const json = flags.output === 'json';
      const result = await withSignalAbort(
        () => {},
        (signal) => startLab(deps, lab, { waitMs: flags.wait, signal, ...(json ? {} : { output: writeProgressLine }) }),
      );
      writeResult(json, result, (r) =>
        [
          `lab ${lab} ${r.alreadyRunning ? 'was already running and is healthy' : 'started and healthy'}\n`,
          ...r.addresses.map((a) => `  ${a.container} ${a.address || '-'}${a.pinned ? '' : ' (no fixed address)'}\n`),
        ].join(''),
      );
    }),
  );
}
