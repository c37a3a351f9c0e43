import { dirname } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { assertRootOwnedDir } from './assert-root-owned-dir.js';
import { LIB_MODULES } from './check-host-limits.js';
import { daemonJsonDiff, formatDaemonJson, isObject, parseDaemonJson, writeDaemonJson } from './daemon-json-file.js';
import { readDockerInfo } from './docker-info.js';
import type { DockerdProcess } from './dockerd-process.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { HostPaths } from './host-paths.js';
import { readHostState, updateHostState, type HostState } from './host-state.js';
import { BUILTIN_RUNTIME, effectiveDefaultRuntime, unwrapDefaultRuntime } from './merge-daemon-json.js';
import { reloadDockerd, reloadSentence } from './reload-dockerd.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

export interface HostResetDeps {
  runner: CommandRunner;
  isRoot: boolean;
  fs: HostFilesystem;
  dockerd: DockerdProcess;
  paths: HostPaths;
  dockerdLogFile: string;
  dockerdArgs: readonly string[];
  now?: () => Date;
  reloadTimeoutMs?: number;
  pollIntervalMs?: number;
}

export interface HostResetOptions {
  dryRun?: boolean;
  restartDocker?: boolean;
}

export interface HostResetResult {
  dryRun: boolean;
  /** What was undone (or would be), one sentence each. */
  changes: string[];
  warnings: string[];
  /** False when there was no record of anything prepare changed. */
  hadState: boolean;
}

/**
 * Undoes what `lab host prepare` recorded in its state file, and nothing else: the wrapper's
 * runtime entry and default runtime (back to what they were, via a reload), the wrapper
 * binary, the raised sysctls, the directories it created empty. Docker stays installed and running.
 */
export async function resetHost(deps: HostResetDeps, options: HostResetOptions = {}): Promise<HostResetResult> {
  const { fs, paths } = deps;
  const dryRun = options.dryRun ?? false;
  const state = await readHostState(fs, paths.stateFile);
  if (!state) return { dryRun, changes: [], warnings: [], hadState: false };
  await assertTrustedState(deps, state);
  const changes: string[] = [];
  const warnings: string[] = [];
  /** One change, said as what would happen (dry run) or what happened. */
  const report = (wouldDo: string, done: string) => changes.push(dryRun ? `would ${wouldDo}` : done);

  if (state.runtime) {
    const runtime = state.runtime;
    // A container created with the wrapper runtime needs it to be stopped, exec'd into or started again.
    const users = await containersUsingRuntime(deps.runner, runtime.name);
    if (users.length > 0) {
      throw new KindlabError(
        `failed to reset the host: ${users.length} container(s) use the ${runtime.name} runtime (${users.slice(0, 5).join(', ')}${users.length > 5 ? ', ...' : ''})`,
        {
          hint: `without ${runtime.name} Docker could not stop or start them: remove them first (docker rm -f <id>), then run \`lab host reset\` again`,
        },
      );
    }
    const before = parseDaemonJson(await fs.readText(paths.daemonJson), paths.daemonJson);
    const after = unwrapDefaultRuntime(before, runtime.name, runtime);
    const restoredDefault = effectiveDefaultRuntime(after);
    if (restoredDefault !== BUILTIN_RUNTIME && !(isObject(after.runtimes) && isObject(after.runtimes[restoredDefault]))) {
      // dockerd 20.10 can panic on a reload whose default runtime has no entry.
      throw new KindlabError(
        `failed to reset the host: the recorded default runtime "${restoredDefault}" has no entry under runtimes in ${paths.daemonJson} any more`,
        {
          hint: `add runtimes.${restoredDefault} back to ${paths.daemonJson}, or set "default-runtime" yourself and remove ${paths.stateFile}`,
        },
      );
    }
    const diff = daemonJsonDiff(before, after);
    if (diff.length > 0) {
      let backup: string | undefined;
      if (!dryRun) backup = await writeDaemonJson(fs, paths.daemonJson, formatDaemonJson(after), (deps.now ?? (() => new Date()))());
      const what = `Docker's default runtime "${effectiveDefaultRuntime(after)}" in ${paths.daemonJson} (${diff.join('; ')}${backup ? `; backup ${backup}` : ''})`;
      report(`restore ${what}`, `restored ${what}`);
      const info = await readDockerInfo(deps.runner);
      if (info && info.defaultRuntime !== effectiveDefaultRuntime(after)) {
        if (dryRun) changes.push('would reload dockerd (SIGHUP; containers keep running)');
        else {
          const reloaded = await reloadDockerd(
            { ...deps, ...options, restartDocker: options.restartDocker ?? false, dockerdPidFile: paths.dockerdPidFile, daemonJson: paths.daemonJson },
            effectiveDefaultRuntime(after),
          );
          changes.push(reloadSentence(reloaded.how, reloaded.pid));
        }
      }
    }
    if (!dryRun) await updateHostState(fs, paths.stateFile, paths.daemonJson, (s) => delete s.runtime);
  }

  if (state.wrapperInstalled) {
    const path = state.wrapperInstalled;
    if (await fs.exists(path)) {
      if (!dryRun) await fs.remove(path);
      report(`remove the runtime wrapper ${path}`, `removed the runtime wrapper ${path}`);
    }
    if (!dryRun) await updateHostState(fs, paths.stateFile, paths.daemonJson, (s) => delete s.wrapperInstalled);
  }

  for (const sysctl of state.sysctls) {
    const current = Number.parseInt((await fs.readText(sysctl.path)) ?? '', 10);
    if (current !== sysctl.set) {
      warnings.push(`left ${sysctl.name} at ${current}: it changed since prepare set it to ${sysctl.set}`);
      continue;
    }
    if (!dryRun) {
      try {
        await fs.writeText(sysctl.path, `${sysctl.previous}\n`);
      } catch (error) {
        throw new KindlabError(`failed to restore ${sysctl.name} to ${sysctl.previous}`, {
          cause: error,
          hint: `as root: sysctl -w ${sysctl.name}=${sysctl.previous}`,
        });
      }
    }
    report(`restore ${sysctl.name} from ${sysctl.set} to ${sysctl.previous}`, `restored ${sysctl.name} from ${sysctl.set} to ${sysctl.previous}`);
  }

  for (const dir of state.createdDirs) {
    if (dryRun) {
      if (await fs.exists(dir)) changes.push(`would remove ${dir} if it is still empty`);
    } else if (await fs.removeEmptyDir(dir)) {
      changes.push(`removed the empty ${dir}`);
    } else if (await fs.exists(dir)) {
      warnings.push(`left ${dir}: it is no longer empty`);
    }
  }

  if (!dryRun) await fs.remove(paths.stateFile);
  return { dryRun, changes, warnings, hadState: true };
}

/**
 * Root acts on the state file's paths (removes the wrapper, writes sysctls): the file must sit
 * where only root writes, and name only what prepare can have changed.
 */
async function assertTrustedState(deps: HostResetDeps, state: HostState): Promise<void> {
  if (deps.isRoot) await assertRootOwnedDir(deps.fs, dirname(deps.paths.stateFile), "the directory of kindlab's host state");
  const wrongs = [
    ...(state.wrapperInstalled && state.wrapperInstalled !== deps.paths.wrapperPath
      ? [`wrapper ${state.wrapperInstalled} (expected ${deps.paths.wrapperPath})`]
      : []),
    ...state.sysctls.filter((s) => !s.path.startsWith('/proc/sys/') || s.path.includes('..')).map((s) => `sysctl path ${s.path}`),
    ...state.createdDirs.filter((dir) => dir !== LIB_MODULES).map((dir) => `directory ${dir}`),
  ];
  if (wrongs.length > 0) {
    throw new KindlabError(`failed to reset the host: ${deps.paths.stateFile} names what prepare never changes: ${wrongs.join(', ')}`, {
      hint: `pass the same --wrapper-path as to \`lab host prepare\`, or inspect and remove ${deps.paths.stateFile}`,
    });
  }
}

/** Ids of containers (running or not) whose runtime is `runtime`. */
async function containersUsingRuntime(runner: CommandRunner, runtime: string): Promise<string[]> {
  const ids = (await defaultDockerCli(runner).run(['ps', '-aq', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  // A container removed between ps and inspect is not a user of the runtime: allowFailure, and read what came back.
  const inspected = await defaultDockerCli(runner).run(['inspect', '--format', '{{.Id}} {{.HostConfig.Runtime}}', ...ids], { allowFailure: true });
  return inspected.stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([id, name]) => id && name === runtime)
    .map(([id]) => (id as string).slice(0, 12));
}
