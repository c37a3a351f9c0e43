import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { valueOrPending, waitUntil } from '../common/wait-until.js';
import { aptInstall } from './apt-install.js';
import { readDockerInfo, type DockerInfo } from './docker-info.js';
import type { HostEdges } from './host-edges.js';

const debug = createDebugLogger('host');

export interface DockerDaemonDeps extends HostEdges {
  /** Where a dockerd started by kindlab logs. */
  logFile: string;
  /** dockerd's pid file: a live pid there means a daemon runs, even when it does not answer. */
  dockerdPidFile: string;
  /** dockerd's flags when kindlab starts it (non-default config file, pid file, socket). */
  dockerdArgs: readonly string[];
  /** Say what would change, change nothing. */
  dryRun?: boolean;
  /** How long to wait for a started dockerd to answer. */
  startTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Ctrl-C: stops the waits (a started dockerd keeps running: it is detached on purpose). */
  signal?: AbortSignal;
}

export interface DockerDaemonOutcome {
  /** undefined only in a dry run where no daemon answers. */
  info: DockerInfo | undefined;
  installed: boolean;
  started: boolean;
  changes: string[];
}

/**
 * A Docker daemon that answers: the running one, untouched, or Debian's docker.io installed and
 * started when none runs.
 */
export async function ensureDockerDaemon(deps: DockerDaemonDeps): Promise<DockerDaemonOutcome> {
  const running = await readDockerInfo(deps.runner);
  if (running) return { info: running, installed: false, started: false, changes: [] };
  const pid = await deps.dockerd.pid(deps.dockerdPidFile);
  if (pid !== undefined) {
    // A second dockerd would fight the first for its pid file, socket and containers.
    throw new KindlabError(`failed to reach dockerd (pid ${pid} in ${deps.dockerdPidFile}): it runs but \`docker info\` does not answer`, {
      hint: 'check its log and DOCKER_HOST (or --docker-host); kindlab starts a daemon only where none runs',
    });
  }
  if (deps.dryRun) {
    const missing = !(await deps.fs.findExecutable('dockerd')) || !(await deps.fs.findExecutable('docker'));
    const changes = [
      ...(missing ? ["would install Debian's docker.io (no dockerd on PATH)"] : []),
      `would start dockerd ${deps.dockerdArgs.join(' ')}`.trimEnd(),
    ];
    return { info: undefined, installed: false, started: false, changes };
  }
  if (!deps.isRoot) {
    throw new KindlabError('failed to reach a Docker daemon, and kindlab is not root so it cannot start one', {
      hint: 'start dockerd (or run `lab host prepare` as root)',
    });
  }
  const changes: string[] = [];
  let installed = false;
  if (!(await deps.fs.findExecutable('dockerd')) || !(await deps.fs.findExecutable('docker'))) {
    try {
      await aptInstall(deps.runner, ['docker.io']);
    } catch (error) {
      throw new KindlabError("failed to install Debian's docker.io", { cause: error });
    }
    installed = true;
    changes.push("installed Debian's docker.io (no dockerd was on PATH)");
  }
  const started = await deps.dockerd.start(deps.logFile, deps.dockerdArgs);
  debug(`started dockerd pid ${started}, logging to ${deps.logFile}`);
  const info = await waitForDocker(deps);
  changes.push(`started dockerd ${info.serverVersion} in the background (pid ${started}, log ${deps.logFile})`);
  return { info, installed, started: true, changes };
}

/** Polls `docker info` until the daemon answers; the error points at the daemon's log. */
export async function waitForDocker(deps: Pick<DockerDaemonDeps, 'runner' | 'logFile' | 'startTimeoutMs' | 'pollIntervalMs' | 'signal'>): Promise<DockerInfo> {
  return waitUntil(async () => valueOrPending(await readDockerInfo(deps.runner), '`docker info` did not answer'), {
    what: 'dockerd to answer after starting it',
    timeoutMs: deps.startTimeoutMs ?? 60_000,
    intervalMs: deps.pollIntervalMs ?? 500,
    ...(deps.signal ? { signal: deps.signal } : {}),
    hint: `see its log: tail -n 50 ${deps.logFile}`,
  });
}
