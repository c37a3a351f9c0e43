import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { ExecaCommandRunner } from '../common/execa-command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { kindlabBinDir, kindlabHome, projectRoot } from '../common/paths.js';
import { checkHostLimits, type HostLimits } from './check-host-limits.js';
import { DetachedDockerdProcess } from './detached-dockerd-process.js';
import type { DockerInfo } from './docker-info.js';
import type { DockerdProcess } from './dockerd-process.js';
import { ensureDockerDaemon } from './ensure-docker-daemon.js';
import { ensureKind, type KindBinary } from './ensure-kind.js';
import { ensurePrivileged } from './ensure-privileged.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { DockerDaemonState, HostPrepareResult, PrivilegedState } from './host-prepare-result.js';
import { NodeHostFilesystem } from './node-host-filesystem.js';
import { RUNTIME_WRAPPER_SOURCE } from './runtime-wrapper.js';

export interface HostPrepareDeps {
  runner: CommandRunner;
  fs: HostFilesystem;
  dockerd: DockerdProcess;
  isRoot: boolean;
  projectRoot: string;
  binDir: string;
  /** Scratch files (the probe tarball) and the log of a dockerd kindlab starts. */
  home: string;
  pollIntervalMs?: number;
}

export interface HostPrepareOptions {
  /** Nodes the host should carry at once; the inotify, disk and memory needs scale with it. */
  nodes: number;
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

export function defaultHostPrepareDeps(): HostPrepareDeps {
  return {
    runner: new ExecaCommandRunner(),
    fs: new NodeHostFilesystem(),
    dockerd: new DetachedDockerdProcess(),
    isRoot: process.getuid?.() === 0,
    projectRoot: projectRoot(),
    binDir: kindlabBinDir(),
    home: kindlabHome(),
  };
}

/**
 * The steps in order: Docker must answer before privileged containers can be probed, and the
 * limits check needs Docker's root directory. Steps share state through this closure.
 */
export function planHostPrepare(deps: HostPrepareDeps, options: HostPrepareOptions): HostPreparePlan {
  if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new KindlabError(`failed to prepare the host: nodes must be a positive integer, got ${options.nodes}`);
  const dockerdLogFile = join(deps.home, 'logs', 'dockerd.log');
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
        const outcome = await ensureDockerDaemon({ ...deps, logFile: dockerdLogFile });
        info = outcome.info;
        docker = {
          serverVersion: outcome.info.serverVersion,
          installed: outcome.installed,
          started: outcome.started,
          logFile: outcome.started ? dockerdLogFile : undefined,
          rootDir: outcome.info.rootDir,
        };
        changes.push(...outcome.changes);
        return `${outcome.started ? 'started' : 'running'} ${outcome.info.serverVersion}`;
      },
    },
    {
      title: 'Privileged containers',
      run: async () => {
        const outcome = await ensurePrivileged(
          { ...deps, wrapperSourceDir: join(deps.projectRoot, RUNTIME_WRAPPER_SOURCE), workDir: deps.home, dockerdLogFile },
          required(info, 'Docker daemon'),
        );
        info = outcome.info;
        privileged = outcome.state;
        changes.push(...outcome.changes);
        const wrapper = outcome.state.wrapper;
        if (!wrapper) return 'work without a wrapper';
        return wrapper.action === 'unchanged' ? `work through ${wrapper.runtimeName} (already installed)` : `work through ${wrapper.runtimeName} (${wrapper.action})`;
      },
    },
    {
      title: 'kind',
      run: async () => {
        kind = await ensureKind(deps.runner);
        if (kind.installed) changes.push(`installed kind ${kind.version} at ${kind.path} with go install`);
        return `${kind.version} at ${kind.path}${kind.installed ? ' (installed)' : ''}`;
      },
    },
    {
      title: 'Host limits (cgroups, inotify, /lib/modules, disk, memory)',
      run: async () => {
        limits = await checkHostLimits({ fs: deps.fs, isRoot: deps.isRoot, nodes: options.nodes, dockerRootDir: required(info, 'Docker daemon').rootDir });
        changes.push(...limits.changes);
        warnings.push(...limits.warnings);
        return `cgroup ${limits.cgroup.mode}, inotify ${limits.inotify.raised ? 'raised' : 'ok'}, /lib/modules ${limits.libModules.created ? 'created' : 'present'}`;
      },
    },
  ];

  return {
    steps,
    result: () => {
      const finalInfo = required(info, 'Docker daemon');
      const hostLimits = required(limits, 'Host limits');
      return {
        changed: changes.length > 0,
        changes: [...changes],
        warnings: [...warnings],
        docker: { ...required(docker, 'Docker daemon'), defaultRuntime: finalInfo.defaultRuntime },
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
