import { isAbsolute, join, normalize } from 'node:path';
import { Command, InvalidArgumentError } from './commander.js';
import { DEFAULT_DAEMON_JSON, DEFAULT_DOCKERD_PID_FILE, DEFAULT_WRAPPER_PATH } from '../host/host-paths.js';
import type { HostPrepareResult } from '../host/host-prepare-result.js';
import type { HostTarget } from '../host/prepare-host.js';
import type { HostResetResult } from '../host/reset-host.js';
import { addOutputOption } from './add-output-option.js';
import { runSteps } from './run-steps.js';
import { writeResult } from './write-result.js';

/** The largest preset (ha: 3 control planes + 1 worker). */
const DEFAULT_NODES = 4;

export function registerHostCommand(host: Command): void {
  const prepare = host
    .command('prepare')
    .description('make Docker, privileged containers, kind and the host limits ready for kind clusters (idempotent)')
    .option('--nodes <count>', 'nodes the host must carry at once (scales inotify, disk and memory needs)', parseNodes, DEFAULT_NODES)
    .option('--dry-run', 'say what would change (daemon.json keys, wrapper, sysctls, packages) and change nothing')
    .option('--restart-docker', 'allow restarting a running dockerd when a reload (SIGHUP) does not load daemon.json: stops every container on it');
  // -o json: the result as JSON instead of progress and a summary.
  addTargetOptions(addOutputOption(prepare, ['text', 'json'])).action(
    async (flags: TargetFlags & { nodes: number; output: string; dryRun?: boolean; restartDocker?: boolean }) => {
      const options = { ...flags, json: flags.output === 'json' };
      const { defaultHostPrepareDeps, planHostPrepare } = await import('../host/prepare-host.js');
      const plan = planHostPrepare(defaultHostPrepareDeps(target(options)), {
        nodes: options.nodes,
        dryRun: options.dryRun,
        restartDocker: options.restartDocker,
      });
      await runSteps(plan.steps, { json: options.json });
      writeResult(options.json, plan.result(), formatHostPrepare);
    },
  );

  const reset = host
    .command('reset')
    .description('undo what `lab host prepare` changed (runtime entry, wrapper, sysctls); Docker stays installed and running')
    .option('--dry-run', 'say what would be undone and change nothing')
    .option('--restart-docker', 'allow restarting a running dockerd when a reload (SIGHUP) does not load daemon.json: stops every container on it');
  addTargetOptions(addOutputOption(reset, ['text', 'json'])).action(
    async (flags: TargetFlags & { output: string; dryRun?: boolean; restartDocker?: boolean }) => {
      const options = { ...flags, json: flags.output === 'json' };
      const [{ defaultHostPrepareDeps, dockerdArgs }, { resetHost }] = await Promise.all([import('../host/prepare-host.js'), import('../host/reset-host.js')]);
      const deps = defaultHostPrepareDeps(target(options));
      const result = await resetHost(
        { ...deps, dockerdLogFile: join(deps.home, 'logs', 'dockerd.log'), dockerdArgs: dockerdArgs(deps.paths, process.env.DOCKER_HOST) },
        { dryRun: options.dryRun, restartDocker: options.restartDocker },
      );
      writeResult(options.json, result, formatHostReset);
    },
  );
}

interface TargetFlags {
  daemonJson?: string;
  wrapperPath?: string;
  dockerdPidfile?: string;
  dockerHost?: string;
}

/** Where the daemon's files are; defaults are the system ones, so a second dockerd can be targeted. */
function addTargetOptions(command: Command): Command {
  return command
    .option('--daemon-json <path>', `dockerd's config file (default ${DEFAULT_DAEMON_JSON})`, absolutePath)
    .option('--wrapper-path <path>', `where the runtime wrapper is installed (default ${DEFAULT_WRAPPER_PATH})`, absolutePath)
    .option('--dockerd-pidfile <path>', `dockerd's pid file, for reloads (default ${DEFAULT_DOCKERD_PID_FILE})`, absolutePath)
    .option('--docker-host <endpoint>', 'the Docker endpoint, e.g. unix:///run/other.sock (default: DOCKER_HOST or the docker CLI default)');
}

function target(flags: TargetFlags): HostTarget {
  // The docker CLI that every step runs reads the endpoint from DOCKER_HOST.
  if (flags.dockerHost) process.env.DOCKER_HOST = flags.dockerHost;
  return { daemonJson: flags.daemonJson, wrapperPath: flags.wrapperPath, dockerdPidFile: flags.dockerdPidfile };
}

export function formatHostReset(result: HostResetResult): string {
  if (!result.hadState) return 'Nothing to reset: no record of changes by `lab host prepare` for this daemon.json.\n';
  const lines = result.changes.length === 0 ? ['Nothing left to undo.'] : [result.dryRun ? 'Would undo:' : 'Undone:', ...result.changes.map((c) => `  - ${c}`)];
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

export function formatHostPrepare(result: HostPrepareResult): string {
  const lines: string[] = [];
  if (result.changes.length === 0) {
    lines.push(result.dryRun ? 'Dry run: host already prepared, nothing would change.' : 'Host already prepared: nothing changed.');
  } else {
    lines.push(result.dryRun ? 'Dry run, nothing changed. Would change:' : 'Changed:');
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
    `  docker         ${result.docker.serverVersion ?? 'not running'}, default runtime ${result.docker.defaultRuntime ?? '-'}`,
    `  privileged     ${result.privileged.ok ? 'ok' : 'not probed (dry run)'}${wrapper ? `, through ${wrapper.path} wrapping ${wrapper.wraps}` : ''}; bounding set lacks ${result.privileged.missingCapabilities.join(', ') || 'nothing'}`,
    `  kind           ${result.kind.version}${result.kind.path ? ` (${result.kind.path})` : ''}`,
    `  cgroup         ${result.cgroup.mode}${result.cgroup.unifiedMount ? ` (cgroup2 at ${result.cgroup.unifiedMount})` : ''}`,
    `  inotify        watches ${inotify.current.maxUserWatches} / need ${inotify.needed.maxUserWatches}, instances ${inotify.current.maxUserInstances} / need ${inotify.needed.maxUserInstances} (for ${inotify.nodes} nodes)`,
    `  /lib/modules   ${result.libModules.created ? 'created (empty)' : 'present'}`,
    `  disk           ${gib(result.disk.freeBytes)} free under ${result.disk.path} (need ${gib(result.disk.neededBytes)})`,
    `  memory         ${gib(result.memory.availableBytes)} available of ${gib(result.memory.totalBytes)} (need ${gib(result.memory.neededBytes)})`,
  );
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function absolutePath(value: string): string {
  if (!isAbsolute(value) || normalize(value) !== value) throw new InvalidArgumentError('expected an absolute, normalized path (no .. or //)');
  return value;
}

function parseNodes(value: string): number {
  const nodes = Number(value);
  if (!Number.isInteger(nodes) || nodes < 1) throw new InvalidArgumentError('expected a positive whole number of nodes');
  return nodes;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
