import { Command, InvalidArgumentError } from 'commander';
import { Listr } from 'listr2';
import type { HostPrepareResult } from '../host/host-prepare-result.js';
import { defaultHostPrepareDeps, planHostPrepare } from '../host/prepare-host.js';

/** The largest preset (ha: 3 control planes + 1 worker). */
const DEFAULT_NODES = 4;

export function registerHostCommand(program: Command): void {
  const host = program.command('host').description('prepare and check the machine kindlab runs clusters on');
  host
    .command('prepare')
    .description('make Docker, privileged containers, kind and the host limits ready for kind clusters (idempotent)')
    .option('--nodes <count>', 'nodes the host must carry at once (scales inotify, disk and memory needs)', parseNodes, DEFAULT_NODES)
    .option('--json', 'print the result as JSON instead of progress and a summary')
    .action(async (options: { nodes: number; json?: boolean }) => {
      const plan = planHostPrepare(defaultHostPrepareDeps(), { nodes: options.nodes });
      const tasks = new Listr(
        plan.steps.map((step) => ({
          title: step.title,
          task: async (_ctx: unknown, task: { title: string }) => {
            task.title = `${step.title}: ${await step.run()}`;
          },
        })),
        {
          concurrent: false,
          exitOnError: true,
          renderer: options.json ? 'silent' : 'default',
          // Without a TTY (CI, pipes) progress is plain lines.
          fallbackRenderer: options.json ? 'silent' : 'simple',
        },
      );
      await tasks.run();
      const result = plan.result();
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : formatHostPrepare(result));
    });
}

export function formatHostPrepare(result: HostPrepareResult): string {
  const lines: string[] = [];
  if (result.changes.length === 0) {
    lines.push('Host already prepared: nothing changed.');
  } else {
    lines.push('Changed:');
    for (const change of result.changes) lines.push(`  - ${change}`);
  }
  const wrapper = result.privileged.wrapper;
  if (wrapper?.action === 'installed') {
    lines.push('', `Why ${wrapper.runtimeName}: ${wrapper.reason}.`);
    if (result.privileged.failureBefore) lines.push(`  before: ${result.privileged.failureBefore.replaceAll('\n', '\n          ')}`);
  }
  const inotify = result.inotify;
  lines.push(
    '',
    'Host:',
    `  docker         ${result.docker.serverVersion}, default runtime ${result.docker.defaultRuntime}`,
    `  privileged     ok${wrapper ? ` via ${wrapper.path}` : ''}; bounding set lacks ${result.privileged.missingCapabilities.join(', ') || 'nothing'}`,
    `  kind           ${result.kind.version} (${result.kind.path})`,
    `  cgroup         ${result.cgroup.mode}${result.cgroup.unifiedMount ? ` (cgroup2 at ${result.cgroup.unifiedMount})` : ''}`,
    `  inotify        watches ${inotify.current.maxUserWatches} / need ${inotify.needed.maxUserWatches}, instances ${inotify.current.maxUserInstances} / need ${inotify.needed.maxUserInstances} (for ${inotify.nodes} nodes)`,
    `  /lib/modules   ${result.libModules.created ? 'created (empty)' : 'present'}`,
    `  disk           ${gib(result.disk.freeBytes)} free under ${result.disk.path} (need ${gib(result.disk.neededBytes)})`,
    `  memory         ${gib(result.memory.availableBytes)} available of ${gib(result.memory.totalBytes)} (need ${gib(result.memory.neededBytes)})`,
  );
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function parseNodes(value: string): number {
  const nodes = Number(value);
  if (!Number.isInteger(nodes) || nodes < 1) throw new InvalidArgumentError('expected a positive whole number of nodes');
  return nodes;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
