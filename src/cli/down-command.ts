import type { Command } from 'commander';
import type { DeleteLabResult } from '../cluster/delete-lab.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { UsageError } from '../common/kindlab-error.js';
import { isValidLabName, parseLabName } from '../common/parse-lab-name.js';
import { DEFAULT_LAB_NAME } from '../topology/build-topology-spec.js';

export function registerDownCommand(program: Command): void {
  program
    .command('down')
    .description('remove a lab: its kind cluster, external etcd, metadata and kubeconfig context (idempotent)')
    .argument('[name]', `lab name (default ${DEFAULT_LAB_NAME})`)
    .option('--all', 'remove every lab kindlab created')
    .option('--json', 'print the result as JSON')
    .action(async (name: string | undefined, flags: { all?: boolean; json?: boolean }) => {
      if (name && flags.all) throw new UsageError('give a lab name or --all, not both');
      // The name becomes a lock file path and a label filter: checked before either.
      if (name !== undefined) parseLabName(name);
      checkKindlabHome();
      // Loaded after the checks: the Kubernetes client takes seconds to load.
      const [{ deleteLab }, { defaultLabDeps }, { acquireLabLock }, { listLabNames }] = await Promise.all([
        import('../cluster/delete-lab.js'),
        import('../cluster/lab-deps.js'),
        import('../cluster/lab-lock.js'),
        import('../cluster/lab-status.js'),
      ]);
      const deps = defaultLabDeps();
      await deps.docker.serverVersion();
      const found = flags.all ? (await listLabNames(deps)).managed : [name ?? DEFAULT_LAB_NAME];
      // A label value on a shared daemon is anyone's input too: a bad one never reaches a lock path or a filter.
      for (const lab of found.filter((n) => !isValidLabName(n))) {
        process.stderr.write(`warning: skipping ${JSON.stringify(lab)} found on the Docker daemon: not a valid lab name\n`);
      }
      const names = found.filter(isValidLabName);
      let kind;
      try {
        kind = await deps.kind();
      } catch (error) {
        // Without kind the containers still go by label; only the kubeconfig context stays behind.
        if (!flags.json) process.stderr.write(`warning: ${(error as Error).message}; kubeconfig contexts are left in place\n`);
      }
      const results: DeleteLabResult[] = [];
      for (const lab of names) {
        const lock = acquireLabLock(lab);
        try {
          results.push(await deleteLab({ docker: deps.docker, kind }, lab));
        } finally {
          lock.release();
        }
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(results)}\n`);
        return;
      }
      if (results.length === 0) process.stdout.write('no labs to remove\n');
      for (const r of results) {
        process.stdout.write(
          r.found
            ? `lab ${r.name} removed: ${r.containers.length} container(s) [${r.containers.join(', ')}], ${r.volumes.length} volume(s)${r.kubeconfig ? `, context kind-${r.name} from ${r.kubeconfig}` : ''}\n`
            : `lab ${r.name} does not exist (nothing to remove)\n`,
        );
      }
    });
}
