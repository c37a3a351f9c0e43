import type { Command } from 'commander';
import { formatLabStatus } from '../cluster/format-lab-status.js';
import { KindlabError } from '../common/kindlab-error.js';
import { parseOptionalLabName } from '../common/parse-lab-name.js';
import { addOutputOption } from './add-output-option.js';

export function registerStatusCommand(command: Command): void {
  const status = command.argument('[name]', 'lab name, or the participant a pool lab was handed to (default: every lab)');
  addOutputOption(status, ['text', 'json']).action(async (name: string | undefined, flags: { output: string }) => {
    parseOptionalLabName(name);
    const [{ defaultLabDeps }, { getLabStatus }, { listLabStatuses }, { labForName }] = await Promise.all([
      import('../cluster/lab-deps.js'),
      import('../cluster/lab-status.js'),
      import('../cluster/list-lab-statuses.js'),
      import('../cluster/lab-for-name.js'),
    ]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const json = flags.output === 'json';
    if (name) {
      const status = await getLabStatus(deps, await labForName(deps.docker, name));
      if (!status) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
      process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : formatLabStatus(status, deps.now()));
      return;
    }
    const labs = await listLabStatuses(deps);
    process.stdout.write(json ? `${JSON.stringify(labs, null, 2)}\n` : labs.map((l) => formatLabStatus(l, deps.now())).join('\n') || 'no labs\n');
  });
}
