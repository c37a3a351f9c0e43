import { join } from 'node:path';
import { ChildProcessCommandRunner } from '../common/child-process-command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabHome, projectRoot } from '../common/paths.js';
import { checkHostLimits, type HostLimits } from './check-host-limits.js';
import { DetachedDockerdProcess } from './detached-dockerd-process.js';
import type { DockerInfo } from './docker-info.js';
import { ensureDockerDaemon } from './ensure-docker-daemon.js';
import { ensureKind } from './ensure-kind.js';
import { findKind, type KindBinary } from './find-kind.js';
import { ensurePrivileged } from './ensure-privileged.js';
import { DEFAULT_DAEMON_JSON, DEFAULT_DOCKERD_PID_FILE, hostPaths, type HostPaths } from './host-paths.js';
import type { DockerDaemonState, HostPrepareResult, PrivilegedState } from './host-prepare-result.js';
import { recordSysctl, updateHostState } from './host-state.js';
import { NodeHostFilesystem } from './node-host-filesystem.js';
import { RUNTIME_WRAPPER_SOURCE } from './runtime-wrapper.js';
import type { HostEdges } from './host-edges.js';

export interface HostPrepareDeps extends HostEdges {
  projectRoot: string;
  paths: HostPaths;
  /** Scratch files (the probe tarball) and the log of a dockerd kindlab starts. */
  home: string;
  now?: () => Date;
  reloadTimeoutMs?: number;
  pollIntervalMs?: number;
}

export interface HostPrepareOptions {
  /** Nodes the host should carry at once; the inotify, disk and memory needs scale with it. */
  nodes: number;
  /** Say what would change, change nothing. */
  dryRun?: boolean;
  /** Allow a restart of a running dockerd when a reload (SIGHUP) does not load daemon.json. */
  restartDocker?: boolean;
}

/** The host files kindlab works on; the Docker endpoint is DOCKER_HOST, which every docker command reads. */
export interface HostTarget {
  daemonJson?: string;
  wrapperPath?: string;
  dockerdPidFile?: string;
}

/** One step of host preparation; run() returns a one-line summary for progress output. */
export interface HostPrepareStep {
  title: string;
  run(): Promise<string>;
}

export interface HostPreparePlan {
  steps: HostPrepareStep[];
  /** The result, once every step has run. */
  result(): HostPrepareResult;
}

export function defaultHostPrepareDeps(target: HostTarget = {}): HostPrepareDeps {
  const isRoot = process.getuid?.() === 0;
  return {
    runner: new ChildProcessCommandRunner(),
    fs: new NodeHostFilesystem(),
    dockerd: new DetachedDockerdProcess(),
    isRoot,
    projectRoot: projectRoot(),
    paths: hostPaths(target, isRoot),
    home: kindlabHome(),
  };
}

/** dockerd's flags when kindlab starts it: only what differs from dockerd's own defaults. */
export function dockerdArgs(paths: HostPaths, dockerHost: string | undefined): string[] {
  return [
    ...(paths.daemonJson === DEFAULT_DAEMON_JSON ? [] : ['--config-file', paths.daemonJson]),
    ...(paths.dockerdPidFile === DEFAULT_DOCKERD_PID_FILE ? [] : ['--pidfile', paths.dockerdPidFile]),
    ...(dockerHost ? ['--host', dockerHost] : []),
  ];
}

/**
 * The steps in order: Docker must answer before privileged containers can be probed, and the
 * limits check needs Docker's root directory. Steps share state through this closure.
 */
export function planHostPrepare(deps: HostPrepareDeps, options: HostPrepareOptions): HostPreparePlan {
  if (!Number.isInteger(options.nodes) || options.nodes < 1)
    throw new KindlabError(`failed to prepare the host: nodes must be a positive integer, got ${options.nodes}`);
  const dryRun = options.dryRun ?? false;
  const dockerdLogFile = join(deps.home, 'logs', 'dockerd.log');
  const startArgs = dockerdArgs(deps.paths, process.env.DOCKER_HOST);
  const changes: string[] = [];
  const warnings: string[] = [];
  let info: DockerInfo | undefined;
  let docker: Omit<DockerDaemonState, 'defaultRuntime'> | undefined;
  let privileged: PrivilegedState | undefined;
  let kind: KindBinary | undefined;
  let limits: HostLimits | undefined;

  const steps: HostPrepareStep[] = [
    {
      title: 'Docker daemon',
      run: async () => {
        const outcome = await ensureDockerDaemon({
          ...deps,
          logFile: dockerdLogFile,
          dockerdPidFile: deps.paths.dockerdPidFile,
          dockerdArgs: startArgs,
          dryRun,
        });
        info = outcome.info;
        docker = {
          serverVersion: outcome.info?.serverVersion,
          installed: outcome.installed,
          started: outcome.started,
          logFile: outcome.started ? dockerdLogFile : undefined,
          rootDir: outcome.info?.rootDir,
        };
        changes.push(...outcome.changes);
        if (!outcome.info) return 'not running (would start it)';
        return `${outcome.started ? 'started' : 'running'} ${outcome.info.serverVersion}`;
      },
    },
    {
      title: 'Privileged containers',
      run: async () => {
        if (!info) {
          privileged = { probeImage: undefined, ok: undefined, failureBefore: undefined, missingCapabilities: [], wrapper: undefined };
          return 'not checked: no Docker daemon yet';
        }
        const outcome = await ensurePrivileged(
          {
            ...deps,
            wrapperSourceDir: join(deps.projectRoot, RUNTIME_WRAPPER_SOURCE),
            workDir: deps.home,
            dockerdLogFile,
            dockerdArgs: startArgs,
            dryRun,
            restartDocker: options.restartDocker ?? false,
          },
          info,
        );
        info = outcome.info;
        privileged = outcome.state;
        changes.push(...outcome.changes);
        const wrapper = outcome.state.wrapper;
        if (!wrapper) return dryRun ? 'not probed (dry run)' : 'work without a wrapper';
        const action = wrapper.action === 'unchanged' ? 'already installed' : dryRun ? `would be ${wrapper.action}` : wrapper.action;
        return `work through ${wrapper.runtimeName} wrapping ${wrapper.wraps} (${action})`;
      },
    },
    {
      title: 'kind',
      run: async () => {
        if (dryRun) {
          const found = await findKind(deps.runner);
          if (!found) changes.push('would install kind with go install');
          kind = found ?? { path: '', version: 'not installed', installed: false };
          return found ? `${found.version} at ${found.path}` : 'not installed (would install it)';
        }
        kind = await ensureKind(deps.runner);
        if (kind.installed) changes.push(`installed kind ${kind.version} at ${kind.path} with go install`);
        return `${kind.version} at ${kind.path}${kind.installed ? ' (installed)' : ''}`;
      },
    },
    {
      title: 'Host limits (cgroups, inotify, /lib/modules, disk, memory)',
      run: async () => {
        limits = await checkHostLimits({ fs: deps.fs, isRoot: deps.isRoot, nodes: options.nodes, dockerRootDir: info?.rootDir ?? '/', dryRun });
        changes.push(...limits.changes);
        warnings.push(...limits.warnings);
        const raised = limits.sysctls;
        if (raised.length > 0 || limits.libModules.created) {
          await updateHostState(deps.fs, deps.paths.stateFile, deps.paths.daemonJson, (state) => {
            for (const sysctl of raised) recordSysctl(state, sysctl);
            if (limits?.libModules.created && !state.createdDirs.includes(limits.libModules.path)) state.createdDirs.push(limits.libModules.path);
          });
        }
        return `cgroup ${limits.cgroup.mode}, inotify ${limits.inotify.raised ? 'raised' : 'ok'}, /lib/modules ${limits.libModules.created ? 'created' : 'present'}`;
      },
    },
  ];

  return {
    steps,
    result: () => {
      const hostLimits = required(limits, 'Host limits');
      return {
        dryRun,
        changed: changes.length > 0,
        changes: [...changes],
        warnings: [...warnings],
        docker: { ...required(docker, 'Docker daemon'), defaultRuntime: info?.defaultRuntime },
        privileged: required(privileged, 'Privileged containers'),
        kind: required(kind, 'kind'),
        cgroup: hostLimits.cgroup,
        inotify: hostLimits.inotify,
        libModules: hostLimits.libModules,
        disk: hostLimits.disk,
        memory: hostLimits.memory,
      };
    },
  };
}

/** Runs every step in order, without progress output. */
export async function prepareHost(deps: HostPrepareDeps, options: HostPrepareOptions): Promise<HostPrepareResult> {
  const plan = planHostPrepare(deps, options);
  for (const step of plan.steps) await step.run();
  return plan.result();
}

function required<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`host preparation step "${step}" has not run`);
  return value;
}
