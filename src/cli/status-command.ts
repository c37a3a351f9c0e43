import type { Command } from 'commander';
import { formatLabStatus } from '../cluster/format-lab-status.js';
import type { LabStatus } from '../cluster/lab-status.js';
import { KindlabError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show a lab: topology, etcd mode, nodes (role, status, version, internal IP, age), context')
    .argument('[name]', 'lab name (default: every lab)')
    .option('--json', 'print the status as JSON')
    .action(async (name: string | undefined, flags: { json?: boolean }) => {
      if (name !== undefined) parseLabName(name);
      const [{ defaultLabDeps }, { getLabStatus, listLabNames }] = await Promise.all([import('../cluster/lab-deps.js'), import('../cluster/lab-status.js')]);
      const deps = defaultLabDeps();
      await deps.docker.serverVersion();
      if (name) {
        const status = await getLabStatus(deps, name);
        if (!status) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
        process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatLabStatus(status, deps.now()));
        return;
      }
      const { managed, kindOnly } = await listLabNames(deps);
      const labs: LabStatus[] = [];
      for (const lab of [...managed, ...kindOnly]) {
        const status = await getLabStatus(deps, lab);
        if (status) labs.push(status);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(labs, null, 2)}\n` : labs.map((l) => formatLabStatus(l, deps.now())).join('\n') || 'no labs\n');
    });
}
