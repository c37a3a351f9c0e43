import type { Command } from 'commander';
import { parseLabName } from '../common/parse-lab-name.js';
import { addOutputOption } from './add-output-option.js';
import { writeResult } from './write-result.js';

export function registerSuspendCommand(command: Command): void {
  const suspend = command.argument('<name>', 'lab name (or the participant a pool lab was handed to)');
  addOutputOption(suspend, ['text', 'json']).action(async (name: string, flags: { output: string }) => {
    parseLabName(name);
    const [{ connectDocker }, { labForName }, { suspendLab }] = await Promise.all([
      import('./connect-docker.js'),
      import('../cluster/lab-for-name.js'),
      import('../cluster/suspend-lab.js'),
    ]);
    const docker = await connectDocker();
    const result = await suspendLab(docker, await labForName(docker, name));
    writeResult(
      flags.output === 'json',
      result,
      (r) =>
        `lab ${r.name} suspended: ${r.paused.length} container(s) frozen${r.alreadyPaused.length ? `, ${r.alreadyPaused.length} already frozen` : ''}; \`lab resume ${name}\` thaws it\n`,
    );
  });
}
