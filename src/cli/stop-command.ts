import type { Command } from 'commander';
import { DEFAULT_LAB_NAME } from '../topology/build-topology-spec.js';
import { addOutputOption } from './add-output-option.js';
import { withLockedLab } from './with-locked-lab.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeProgressLine } from './write-progress-line.js';
import { writeResult } from './write-result.js';

/** `lab stop [name]`: flags -> stopLab; progress lines on stderr, the result on stdout. */
export function registerStopCommand(command: Command): void {
  const stop = command.argument('[name]', `lab name, or the participant a pool lab was handed to (default ${DEFAULT_LAB_NAME})`);
  addOutputOption(stop, ['text', 'json']).action(async (name: string | undefined, flags: { output: string }) =>
    withLockedLab(name, async (lab, deps) => {
      const { stopLab } = await import('../cluster/stop-lab.js');
      const json = flags.output === 'json';
      const result = await withSignalAbort(
        () => {},
        (signal) => stopLab(deps.docker, lab, { signal, ...(json ? {} : { output: writeProgressLine }) }),
      );
      const count = result.stopped.reduce((n, g) => n + g.containers.length, 0);
      writeResult(json, result, (r) =>
        r.alreadyStopped ? `lab ${lab} was already stopped\n` : `lab ${lab} stopped: ${count} container(s); start it again with \`lab start ${lab}\`\n`,
      );
    }),
  );
}
