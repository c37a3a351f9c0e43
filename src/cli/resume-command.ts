import type { Command } from 'commander';
import { parseLabName } from '../common/parse-lab-name.js';
import { DEFAULT_WAIT } from '../topology/build-topology-spec.js';
import { parseDuration } from '../topology/parse-duration.js';
import { abortOnSignals } from './abort-on-signals.js';
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
    const interrupt = abortOnSignals(() => {});
    try {
      const json = flags.output === 'json';
      const result = await resumeLab(deps, await labForName(deps.docker, name), {
        waitMs: flags.wait,
        signal: interrupt.signal,
        ...(json ? {} : { onProgress: (state: string) => process.stderr.write(`  ${state}\n`) }),
      });
      process.stdout.write(
        json
          ? `${JSON.stringify(result)}\n`
          : `lab ${result.name} resumed: ${result.unpaused.length} container(s) thawed, Ready in ${(result.readyMs / 1000).toFixed(1)}s\n`,
      );
    } finally {
      interrupt.dispose();
    }
  });
}
