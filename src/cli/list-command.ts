import type { Command } from 'commander';
import { formatLabList } from '../cluster/format-lab-status.js';
import { addOutputOption } from './add-output-option.js';

export function registerListCommand(command: Command): void {
  const list = command;
  addOutputOption(list, ['text', 'json']).action(async (flags: { output: string }) => {
    const [{ defaultLabDeps }, { listLabStatuses }] = await Promise.all([import('../cluster/lab-deps.js'), import('../cluster/list-lab-statuses.js')]);
    const deps = defaultLabDeps();
    await deps.docker.serverVersion();
    const labs = await listLabStatuses(deps);
    process.stdout.write(flags.output === 'json' ? `${JSON.stringify(labs, null, 2)}\n` : formatLabList(labs, deps.now()));
  });
}
