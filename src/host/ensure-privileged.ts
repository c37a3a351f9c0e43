import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandRunner } from '../common/command-runner.js';
import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { readDockerInfo, type DockerInfo } from './docker-info.js';
import type { DockerdProcess } from './dockerd-process.js';
import { waitForDocker } from './ensure-docker-daemon.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { PrivilegedState, RuntimeWrapperState } from './host-prepare-result.js';
import { mergeDaemonJson } from './merge-daemon-json.js';
import { missingCapabilities } from './missing-capabilities.js';
import { ensureProbeImage } from './probe-image.js';
import { probePrivileged, type PrivilegedProbe } from './probe-privileged.js';
import { buildRuntimeWrapper, installRuntimeWrapper, RUNTIME_WRAPPER_NAME, RUNTIME_WRAPPER_PATH } from './runtime-wrapper.js';

const debug = createDebugLogger('host');

export const DAEMON_JSON = '/etc/docker/daemon.json';

export interface PrivilegedDeps {
  runner: CommandRunner;
  fs: HostFilesystem;
  dockerd: DockerdProcess;
  isRoot: boolean;
  wrapperSourceDir: string;
  binDir: string;
  workDir: string;
  dockerdLogFile: string;
  /** How long to wait for dockerd to pick up daemon.json after SIGHUP. */
  reloadTimeoutMs?: number;
  pollIntervalMs?: number;
}

export interface PrivilegedOutcome {
  state: PrivilegedState;
  info: DockerInfo;
  changes: string[];
}

/**
 * Makes `docker run --privileged` and `docker exec --privileged` work. The runtime wrapper is
 * installed only where they really fail with runc's caps error; where it is already Docker's
 * default runtime it is kept up to date with its source.
 */
export async function ensurePrivileged(deps: PrivilegedDeps, info: DockerInfo): Promise<PrivilegedOutcome> {
  const probeImage = await ensureProbeImage(deps.runner, deps.fs, deps.workDir);
  const changes = [...probeImage.changes];
  const missing = await hostMissingCapabilities(deps.fs);
  const reason = wrapperReason(missing);

  if (info.defaultRuntime === RUNTIME_WRAPPER_NAME) {
    const built = await buildRuntimeWrapper(deps.runner, deps.fs, { sourceDir: deps.wrapperSourceDir, binDir: deps.binDir });
    const updated = deps.isRoot && (await installRuntimeWrapper(deps.fs, built));
    if (updated) changes.push(`updated ${RUNTIME_WRAPPER_PATH} to the build of its current source (${built.sourceHash.slice(0, 12)})`);
    const probe = await probePrivileged(deps.runner, probeImage.image);
    if (!probe.ok) throw privilegedFailure(probe, missing, true);
    const wrapper = wrapperState(built.sourceHash, updated ? 'updated' : 'unchanged', reason, undefined);
    return { state: { probeImage: probeImage.image, ok: true, failureBefore: undefined, missingCapabilities: missing, wrapper }, info, changes };
  }

  const before = await probePrivileged(deps.runner, probeImage.image);
  if (before.ok) {
    return { state: { probeImage: probeImage.image, ok: true, failureBefore: undefined, missingCapabilities: missing, wrapper: undefined }, info, changes };
  }
  if (!before.capsFailure || missing.length === 0) throw privilegedFailure(before, missing, false);
  if (!deps.isRoot) {
    throw new KindlabError(`privileged containers fail here (${missing.join(', ')} missing from the capability bounding set) and kindlab is not root`, {
      hint: 'run `lab host prepare` as root so it can install its runtime wrapper',
    });
  }
  debug('privileged probe failed', before);

  const built = await buildRuntimeWrapper(deps.runner, deps.fs, { sourceDir: deps.wrapperSourceDir, binDir: deps.binDir });
  await installRuntimeWrapper(deps.fs, built);
  const merge = mergeDaemonJson(await deps.fs.readText(DAEMON_JSON), RUNTIME_WRAPPER_NAME, RUNTIME_WRAPPER_PATH);
  if (merge.changed) {
    await deps.fs.mkdirp('/etc/docker');
    await deps.fs.writeText(DAEMON_JSON, merge.text);
  }
  const { info: reloaded, how } = await applyDaemonJson(deps);
  const after = await probePrivileged(deps.runner, probeImage.image);
  if (!after.ok) throw privilegedFailure(after, missing, true);

  changes.push(
    `installed the runtime wrapper ${RUNTIME_WRAPPER_PATH} as Docker's default runtime: privileged containers failed because the bounding set lacks ${missing.join(', ')}` +
      (merge.replacedDefaultRuntime ? ` (it replaces the default runtime "${merge.replacedDefaultRuntime}")` : ''),
    `registered ${RUNTIME_WRAPPER_NAME} in ${DAEMON_JSON} and ${how === 'sighup' ? 'reloaded dockerd (SIGHUP)' : 'restarted dockerd'}`,
  );
  const wrapper = wrapperState(built.sourceHash, 'installed', reason, how);
  return {
    state: { probeImage: probeImage.image, ok: true, failureBefore: `${before.command}: ${before.message}`, missingCapabilities: missing, wrapper },
    info: reloaded,
    changes,
  };
}

/** Capabilities the kernel knows but this host's bounding set lacks. */
export async function hostMissingCapabilities(fs: HostFilesystem): Promise<string[]> {
  const status = await fs.readText('/proc/self/status');
  const lastCap = Number.parseInt((await fs.readText('/proc/sys/kernel/cap_last_cap')) ?? '', 10);
  if (status === undefined || Number.isNaN(lastCap)) throw new KindlabError('failed to read the capability bounding set from /proc');
  return missingCapabilities(status, lastCap);
}

/** dockerd reloads runtimes and default-runtime on SIGHUP; containers keep running. A restart is the fallback. */
async function applyDaemonJson(deps: PrivilegedDeps): Promise<{ info: DockerInfo; how: 'sighup' | 'restart' }> {
  const pid = await deps.dockerd.pid();
  if (pid !== undefined) {
    deps.dockerd.reload(pid);
    const deadline = Date.now() + (deps.reloadTimeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const info = await readDockerInfo(deps.runner);
      if (info?.defaultRuntime === RUNTIME_WRAPPER_NAME) return { info, how: 'sighup' };
      await sleep(deps.pollIntervalMs ?? 250);
    }
    debug('dockerd did not pick up daemon.json on SIGHUP; restarting it');
    await deps.dockerd.stop(pid, 60_000);
  }
  await deps.dockerd.start(deps.dockerdLogFile);
  const info = await waitForDocker({ runner: deps.runner, logFile: deps.dockerdLogFile, pollIntervalMs: deps.pollIntervalMs });
  if (info.defaultRuntime !== RUNTIME_WRAPPER_NAME) {
    throw new KindlabError(`failed to make ${RUNTIME_WRAPPER_NAME} Docker's default runtime: dockerd reports "${info.defaultRuntime}"`, {
      hint: `check ${DAEMON_JSON} and ${deps.dockerdLogFile}`,
    });
  }
  return { info, how: 'restart' };
}

function wrapperReason(missing: string[]): string {
  return (
    `this host's capability bounding set lacks ${missing.join(', ') || 'no capabilities'}, ` +
    "Docker 20.10 asks runc for every kernel capability on --privileged, and runc then fails with 'unable to apply caps'"
  );
}

function wrapperState(sourceHash: string, action: RuntimeWrapperState['action'], reason: string, how: RuntimeWrapperState['dockerdReload']): RuntimeWrapperState {
  return { runtimeName: RUNTIME_WRAPPER_NAME, path: RUNTIME_WRAPPER_PATH, sourceHash, action, reason, daemonJson: DAEMON_JSON, dockerdReload: how };
}

function privilegedFailure(probe: Exclude<PrivilegedProbe, { ok: true }>, missing: string[], withWrapper: boolean): KindlabError {
  const context = withWrapper
    ? ` even with ${RUNTIME_WRAPPER_NAME} as the default runtime`
    : probe.capsFailure
      ? ' although the capability bounding set lacks nothing'
      : '';
  return new KindlabError(`privileged containers fail on this host${context}:\n  $ ${probe.command}\n  ${probe.message}`, {
    hint: missing.length ? `missing capabilities: ${missing.join(', ')}` : 'kind needs `docker run --privileged` and `docker exec --privileged`',
  });
}
