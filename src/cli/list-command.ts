import type { Command } from 'commander';
import { formatLabList } from '../cluster/format-lab-status.js';
import { addOutputOption } from './add-output-option.js';

export function registerListCommand(command: Command): void {
  const list = command;
  addOutputOption(list, ['text', 'json']).action(async (flags: { output: string }) => {
    const [{ defaultLabDeps }, { listLabStatuses }] = await Promise.all([import('../cluster/lab-deps.js'), import('../cluster/list-lab-statuses.js')]);
    const deps = defaultLabDeps();
    const { hostedLabRecords, hostedLabStatuses } = await import('./hosted-statuses.js');
    const hosted = await hostedLabRecords();
    // A machine that only hosts labs elsewhere may have no Docker daemon: its hosted labs still list.
    const local = await deps.docker.serverVersion().then(
      () => listLabStatuses(deps),
      (error: unknown) => {
        if (hosted.length === 0) throw error;
        return [];
      },
    );
    const labs = [...local, ...(await hostedLabStatuses(hosted))];
    process.stdout.write(flags.output === 'json' ? `${JSON.stringify(labs, null, 2)}\n` : formatLabList(labs, deps.now()));
  });
}
