import { createDebugLogger } from '../common/debug-logger.js';
import { KindlabError } from '../common/kindlab-error.js';
import { daemonJsonDiff, formatDaemonJson, parseDaemonJson, writeDaemonJson } from './daemon-json-file.js';
import type { DockerInfo } from './docker-info.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { HostPaths } from './host-paths.js';
import type { PrivilegedState, RuntimeWrapperState } from './host-prepare-result.js';
import { readHostState, updateHostState } from './host-state.js';
import { findInstalledWrapper, wrapDefaultRuntime, type InstalledWrapper } from './merge-daemon-json.js';
import { missingCapabilities } from './missing-capabilities.js';
import { ensureProbeImage } from './probe-image.js';
import { probePrivileged, type PrivilegedProbe } from './probe-privileged.js';
import { reloadDockerd, reloadSentence } from './reload-dockerd.js';
import { buildRuntimeWrapper, installRuntimeWrapper, RUNTIME_WRAPPER_NAME, runtimeWrapperCurrent, type BuiltRuntimeWrapper } from './runtime-wrapper.js';
import type { HostEdges } from './host-edges.js';

const debug = createDebugLogger('host');

export interface PrivilegedDeps extends HostEdges {
  paths: HostPaths;
  wrapperSourceDir: string;
  workDir: string;
  dockerdLogFile: string;
  /** How dockerd is started, for --restart-docker. */
  dockerdArgs: readonly string[];
  /** Say what would change, change nothing. */
  dryRun: boolean;
  /** The user allows a restart of dockerd when a reload is not enough. */
  restartDocker: boolean;
  now?: () => Date;
  /** Ctrl-C: stops the waits for dockerd. */
  signal?: AbortSignal;
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
 * installed only where they really fail with runc's caps error, and wraps whatever runtime was
 * Docker's default; where it is already the default it is kept up to date with its source.
 */
export async function ensurePrivileged(deps: PrivilegedDeps, info: DockerInfo): Promise<PrivilegedOutcome> {
  const { paths } = deps;
  const missing = await hostMissingCapabilities(deps.fs);
  const reason = wrapperReason(missing);
  const config = parseDaemonJson(await deps.fs.readText(paths.daemonJson), paths.daemonJson);
  const installed = findInstalledWrapper(config, RUNTIME_WRAPPER_NAME, paths.wrapperPath);
  const changes: string[] = [];
  if (installed) return keepInstalledWrapper(deps, info, installed, missing, reason);

  if (deps.dryRun) {
    // Probing needs the probe image imported and containers run: a dry run only reads.
    if (missing.length > 0) {
      const wrapped = wrapDefaultRuntime(config, RUNTIME_WRAPPER_NAME, paths.wrapperPath);
      changes.push(
        `would install ${paths.wrapperPath} and make ${RUNTIME_WRAPPER_NAME} Docker's default runtime, if \`docker run --privileged\` fails (the bounding set lacks ${missing.join(', ')})`,
        `would change ${paths.daemonJson} (after a backup): ${daemonJsonDiff(config, wrapped.config).join('; ')}`,
        `would reload dockerd (SIGHUP; containers keep running)`,
      );
    }
    return { state: { probeImage: undefined, ok: undefined, failureBefore: undefined, missingCapabilities: missing, wrapper: undefined }, info, changes };
  }

  const probeImage = await ensureProbeImage(deps.runner, deps.fs, deps.workDir);
  changes.push(...probeImage.changes);
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

  // Everything that can refuse (build directory, daemon.json's default runtime) is checked before anything changes.
  const wrapped = wrapDefaultRuntime(config, RUNTIME_WRAPPER_NAME, paths.wrapperPath);
  const built = await buildWrapper(deps);
  await updateHostState(deps.fs, paths.stateFile, paths.daemonJson, (state) => {
    state.wrapperInstalled = paths.wrapperPath;
  });
  await installRuntimeWrapper(deps.fs, built, paths.wrapperPath);
  changes.push(`installed the runtime wrapper ${paths.wrapperPath}: privileged containers failed because the bounding set lacks ${missing.join(', ')}`);

  const backup = await writeDaemonJson(deps.fs, paths.daemonJson, formatDaemonJson(wrapped.config), (deps.now ?? (() => new Date()))());
  await updateHostState(deps.fs, paths.stateFile, paths.daemonJson, (state) => {
    state.runtime = { name: RUNTIME_WRAPPER_NAME, wrapperPath: paths.wrapperPath, ...wrapped.previous, adopted: false, backup };
  });
  const wrappedName = wrapped.previous.defaultRuntime ?? 'runc';
  changes.push(
    `made ${RUNTIME_WRAPPER_NAME} Docker's default runtime in ${paths.daemonJson}, wrapping the previous default "${wrappedName}" ` +
      `(${daemonJsonDiff(config, wrapped.config).join('; ')}; ${backup ? `backup ${backup}` : 'the file is new'})`,
  );
  const reloaded = await reloadDockerd(reloadDeps(deps), RUNTIME_WRAPPER_NAME);
  changes.push(reloadSentence(reloaded.how, reloaded.pid));
  const after = await probePrivileged(deps.runner, probeImage.image);
  if (!after.ok) throw privilegedFailure(after, missing, true);

  const wrapper = wrapperState(paths, 'installed', reason, reloaded.how, findInstalledWrapper(wrapped.config, RUNTIME_WRAPPER_NAME, paths.wrapperPath)?.wraps);
  return {
    state: { probeImage: probeImage.image, ok: true, failureBefore: `${before.command}: ${before.message}`, missingCapabilities: missing, wrapper },
    info: reloaded.info,
    changes,
  };
}

/**
 * The wrapper is already Docker's default runtime here: it is kept up to date with its source,
 * an install by an older kindlab (no state file) is recorded so reset can undo it, and a dockerd
 * that has not loaded daemon.json yet is reloaded. daemon.json itself is not touched.
 */
async function keepInstalledWrapper(
  deps: PrivilegedDeps,
  info: DockerInfo,
  installed: InstalledWrapper,
  missing: string[],
  reason: string,
): Promise<PrivilegedOutcome> {
  const { paths } = deps;
  const changes: string[] = [];
  /** One change, said as what would happen (dry run) or what happened. */
  const report = (wouldDo: string, done: string) => changes.push(deps.dryRun ? `would ${wouldDo}` : done);
  let action: RuntimeWrapperState['action'] = 'unchanged';
  let how: RuntimeWrapperState['dockerdReload'];
  if (deps.isRoot) {
    const built = await buildWrapper(deps);
    if (!(await runtimeWrapperCurrent(deps.fs, built, paths.wrapperPath))) {
      if (!deps.dryRun) await installRuntimeWrapper(deps.fs, built, paths.wrapperPath);
      const what = `${paths.wrapperPath} to the build of its current source (${built.sourceHash.slice(0, 12)})`;
      report(`update ${what}`, `updated ${what}`);
      action = 'updated';
    }
    if (!(await readHostState(deps.fs, paths.stateFile))?.runtime) {
      // Installed by a kindlab that kept no record: it always wrapped runc, the built-in default.
      if (!deps.dryRun) {
        await updateHostState(deps.fs, paths.stateFile, paths.daemonJson, (state) => {
          state.runtime = {
            name: RUNTIME_WRAPPER_NAME,
            wrapperPath: paths.wrapperPath,
            defaultRuntime: null,
            wrapperEntry: null,
            hadRuntimes: false,
            adopted: true,
            backup: undefined,
          };
          state.wrapperInstalled = paths.wrapperPath;
        });
      }
      const what = `the existing ${RUNTIME_WRAPPER_NAME} install (wrapping ${installed.wraps ?? 'runc'}) in ${paths.stateFile}, so \`lab host reset\` can undo it`;
      report(`record ${what}`, `recorded ${what}`);
    }
  }
  if (info.defaultRuntime !== RUNTIME_WRAPPER_NAME) {
    // daemon.json is right but dockerd has not loaded it (an earlier run stopped at the reload).
    if (deps.dryRun)
      changes.push(`would reload dockerd (SIGHUP): it reports default runtime "${info.defaultRuntime}", ${paths.daemonJson} says ${RUNTIME_WRAPPER_NAME}`);
    else {
      const reloaded = await reloadDockerd(reloadDeps(deps), RUNTIME_WRAPPER_NAME);
      info = reloaded.info;
      how = reloaded.how;
      changes.push(reloadSentence(reloaded.how, reloaded.pid));
    }
  }
  const wrapper = wrapperState(paths, action, reason, how, installed.wraps);
  if (deps.dryRun) return { state: { probeImage: undefined, ok: undefined, failureBefore: undefined, missingCapabilities: missing, wrapper }, info, changes };
  const probeImage = await ensureProbeImage(deps.runner, deps.fs, deps.workDir);
  const probe = await probePrivileged(deps.runner, probeImage.image);
  if (!probe.ok) throw privilegedFailure(probe, missing, true);
  return {
    state: { probeImage: probeImage.image, ok: true, failureBefore: undefined, missingCapabilities: missing, wrapper },
    info,
    changes: [...probeImage.changes, ...changes],
  };
}

/** Capabilities the kernel knows but this host's bounding set lacks. */
export async function hostMissingCapabilities(fs: HostFilesystem): Promise<string[]> {
  const status = await fs.readText('/proc/self/status');
  const lastCap = Number.parseInt((await fs.readText('/proc/sys/kernel/cap_last_cap')) ?? '', 10);
  if (status === undefined || Number.isNaN(lastCap)) throw new KindlabError('failed to read the capability bounding set from /proc');
  return missingCapabilities(status, lastCap);
}

function buildWrapper(deps: PrivilegedDeps): Promise<BuiltRuntimeWrapper> {
  return buildRuntimeWrapper(deps.runner, deps.fs, { sourceDir: deps.wrapperSourceDir, buildDir: deps.paths.buildDir, isRoot: deps.isRoot });
}

function reloadDeps(deps: PrivilegedDeps): Parameters<typeof reloadDockerd>[0] {
  return { ...deps, dockerdPidFile: deps.paths.dockerdPidFile, daemonJson: deps.paths.daemonJson };
}

function wrapperReason(missing: string[]): string {
  return (
    `this host's capability bounding set lacks ${missing.join(', ') || 'no capabilities'}, ` +
    "Docker 20.10 asks runc for every kernel capability on --privileged, and runc then fails with 'unable to apply caps'"
  );
}

function wrapperState(
  paths: HostPaths,
  action: RuntimeWrapperState['action'],
  reason: string,
  how: RuntimeWrapperState['dockerdReload'],
  wraps: string | undefined,
): RuntimeWrapperState {
  return {
    runtimeName: RUNTIME_WRAPPER_NAME,
    path: paths.wrapperPath,
    wraps: wraps ?? 'runc',
    action,
    reason,
    daemonJson: paths.daemonJson,
    dockerdReload: how,
  };
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
