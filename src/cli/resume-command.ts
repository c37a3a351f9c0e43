import type { Command } from 'commander';
import { parseLabName } from '../common/parse-lab-name.js';
import { DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { parseDuration } from '../topology/parse-duration.js';
import { withSignalAbort } from './with-signal-abort.js';
import { writeResult } from './write-result.js';
import { addOutputOption } from './add-output-option.js';
import { durationOption } from './duration-option.js';

export function registerResumeCommand(command: Command): void {
  const resume = command
    .argument('<name>', 'lab name (or the participant a pool lab was handed to)')
    .addOption(
      durationOption('--wait <duration>', 'how long to wait for nodes Ready (and still Ready) and kube-system pods Ready', parseDuration(DEFAULT_WAIT)),
    );
  addOutputOption(resume, ['text', 'json']).action(async (name: string, flags: { output: string; wait: number }) => {
    parseLabName(name);
    const [{ defaultLabDeps }, { labForName }, { resumeLab }] = await Promise.all([
      import('../cluster/lab-deps.js'),
      import('../cluster/lab-for-name.js'),
      import('../cluster/resume-lab.js'),
    ]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const json = flags.output === 'json';
    const target = await labForName(deps.docker, name);
    const result = await withSignalAbort(
      () => {},
      (signal) =>
        resumeLab(deps, target, {
          waitMs: flags.wait,
          signal,
          ...(json ? {} : { onProgress: (state: string) => process.stderr.write(`  ${state}\n`) }),
        }),
    );
    writeResult(json, result, (r) => `lab ${r.name} resumed: ${r.unpaused.length} container(s) thawed, Ready in ${(r.readyMs / 1000).toFixed(1)}s\n`);
  });
}
