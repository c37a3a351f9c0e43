import type { Command } from 'commander';
import { formatLabList } from '../cluster/format-lab-status.js';
import type { LabStatus } from '../cluster/lab-status.js';

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list labs (and plain kind clusters) on this Docker daemon')
    .option('--json', 'print the labs as JSON')
    .action(async (flags: { json?: boolean }) => {
      const [{ defaultLabDeps }, { getLabStatus, listLabNames }] = await Promise.all([import('../cluster/lab-deps.js'), import('../cluster/lab-status.js')]);
      const deps = defaultLabDeps();
      await deps.docker.serverVersion();
      const { managed, kindOnly } = await listLabNames(deps);
      const labs: LabStatus[] = [];
      for (const name of [...managed, ...kindOnly]) {
        const status = await getLabStatus(deps, name);
        if (status) labs.push(status);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(labs, null, 2)}\n` : formatLabList(labs, deps.now()));
    });
}
