import type { CommandRunner } from '../common/command-runner.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { doneWith, notYet, waitUntil, WaitTimeoutError } from '../common/wait-until.js';
import { readDockerInfo, type DockerInfo } from './docker-info.js';
import type { DockerdProcess } from './dockerd-process.js';
import { waitForDocker } from './ensure-docker-daemon.js';

const debug = createDebugLogger('host');

export interface ReloadDeps {
  runner: CommandRunner;
  dockerd: DockerdProcess;
  dockerdPidFile: string;
  daemonJson: string;
  /** The user asked for a restart when a reload is not enough (--restart-docker). */
  restartDocker: boolean;
  /** For a restart: how dockerd is started and where it logs. */
  dockerdArgs: readonly string[];
  dockerdLogFile: string;
  reloadTimeoutMs?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Makes the running dockerd load daemon.json with SIGHUP (containers keep running) and waits
 * until `docker info` shows `expectedDefault`. A dockerd that does not, or answers slowly, is
 * never stopped: that would stop every container on it, other people's too. Only
 * --restart-docker restarts it.
 */
export async function reloadDockerd(deps: ReloadDeps, expectedDefault: string): Promise<{ info: DockerInfo; how: 'sighup' | 'restart'; pid: number }> {
  const pid = await deps.dockerd.pid(deps.dockerdPidFile);
  if (pid === undefined) {
    throw new KindlabError(`failed to reload dockerd: no running dockerd in its pid file ${deps.dockerdPidFile}`, {
      hint: `${deps.daemonJson} is written; reload dockerd yourself (kill -HUP <pid>), or pass --dockerd-pidfile`,
    });
  }
  deps.dockerd.reload(pid);
  const timeoutMs = deps.reloadTimeoutMs ?? 30_000;
  let seen: string;
  try {
    const info = await waitUntil(
      async () => {
        const info = await readDockerInfo(deps.runner);
        const state = info ? `it reports default runtime "${info.defaultRuntime}"` : '`docker info` did not answer';
        return info?.defaultRuntime === expectedDefault ? doneWith(info, state) : notYet(state);
      },
      {
        what: `dockerd to report default runtime "${expectedDefault}"`,
        timeoutMs,
        intervalMs: deps.pollIntervalMs ?? 250,
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    return { info, how: 'sighup', pid };
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    seen = error.lastState;
  }
  debug(`dockerd pid ${pid} after SIGHUP: ${seen}`);
  if (!deps.restartDocker) {
    throw new KindlabError(
      `dockerd (pid ${pid}) did not switch its default runtime to "${expectedDefault}" within ${timeoutMs / 1000}s of a reload (SIGHUP): ${seen}; it was not restarted`,
      {
        hint: `${deps.daemonJson} is written: check dockerd's log, then restart Docker when no one needs its containers, or run this again with --restart-docker (it stops every container on this daemon)`,
      },
    );
  }
  await deps.dockerd.stop(pid, 60_000, deps.signal);
  await deps.dockerd.start(deps.dockerdLogFile, deps.dockerdArgs);
  const info = await waitForDocker({ runner: deps.runner, logFile: deps.dockerdLogFile, pollIntervalMs: deps.pollIntervalMs, signal: deps.signal });
  if (info.defaultRuntime !== expectedDefault) {
    throw new KindlabError(`failed to make "${expectedDefault}" Docker's default runtime: after a restart dockerd reports "${info.defaultRuntime}"`, {
      hint: `check ${deps.daemonJson} and ${deps.dockerdLogFile}`,
    });
  }
  return { info, how: 'restart', pid };
}

/** The change a reload (or an allowed restart) made, as the change list says it. */
export function reloadSentence(how: 'sighup' | 'restart', pid: number): string {
  return how === 'sighup'
    ? `reloaded dockerd (pid ${pid}) with SIGHUP to load daemon.json; its containers kept running`
    : `restarted dockerd (pid ${pid}) as --restart-docker allowed: a reload did not load daemon.json`;
}
