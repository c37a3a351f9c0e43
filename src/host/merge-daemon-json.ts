import { KindlabError } from '../common/kindlab-error.js';
import { isObject, type DaemonConfig } from './daemon-json-file.js';

/** Docker's built-in runtime: the default when daemon.json names none; it needs no runtimes entry. */
export const BUILTIN_RUNTIME = 'runc';
/** runtimeArgs the wrapper consumes (images/runtime-capfilter/target.go). */
const RUNTIME_FLAG = '--kindlab-runtime=';
const RUNTIME_ARG_FLAG = '--kindlab-runtime-arg=';

/** Docker's default runtime before kindlab wrapped it, as prepare recorded it for reset. */
export interface PreviousRuntime {
  /** daemon.json's default-runtime, or null when the key was absent (Docker's built-in runc). */
  defaultRuntime: string | null;
  /** What runtimes[wrapperName] held before (null: no entry). */
  wrapperEntry: unknown;
  /** Whether daemon.json had a runtimes key at all. */
  hadRuntimes: boolean;
}

/** Our wrapper as daemon.json has it: the default runtime, at our path. */
export interface InstalledWrapper {
  /** The runtime it execs; undefined: runc, found by the wrapper (an install by older kindlab). */
  wraps: string | undefined;
}

export function findInstalledWrapper(config: DaemonConfig, wrapperName: string, wrapperPath: string): InstalledWrapper | undefined {
  const entry = isObject(config.runtimes) ? config.runtimes[wrapperName] : undefined;
  if (config['default-runtime'] !== wrapperName || !isObject(entry) || entry.path !== wrapperPath) return undefined;
  const args = Array.isArray(entry.runtimeArgs) ? entry.runtimeArgs.filter((a): a is string => typeof a === 'string') : [];
  return { wraps: args.find((a) => a.startsWith(RUNTIME_FLAG))?.slice(RUNTIME_FLAG.length) };
}

/**
 * Makes the wrapper Docker's default runtime, wrapping the runtime that was the default: its
 * path and runtimeArgs become the wrapper's runtimeArgs, and its own entry stays as it was.
 * Every other key is kept.
 */
export function wrapDefaultRuntime(config: DaemonConfig, wrapperName: string, wrapperPath: string): { config: DaemonConfig; previous: PreviousRuntime } {
  const runtimes = isObject(config.runtimes) ? { ...config.runtimes } : {};
  const previousDefault = typeof config['default-runtime'] === 'string' ? config['default-runtime'] : null;
  const wrapped = previousDefault ?? BUILTIN_RUNTIME;
  const runtimeArgs: string[] = [];
  if (wrapped === wrapperName)
    throw new KindlabError(`failed to wrap Docker's default runtime: ${wrapperName} is already the default, at another path than ${wrapperPath}`, {
      hint: 'run `lab host reset` with the same paths first',
    });
  const entry = runtimes[wrapped];
  if (isObject(entry) && typeof entry.path === 'string') {
    runtimeArgs.push(`${RUNTIME_FLAG}${entry.path}`);
    if (Array.isArray(entry.runtimeArgs)) runtimeArgs.push(...entry.runtimeArgs.map((arg) => `${RUNTIME_ARG_FLAG}${String(arg)}`));
  } else if (wrapped !== BUILTIN_RUNTIME) {
    throw new KindlabError(`failed to wrap Docker's default runtime "${wrapped}": daemon.json has no path for it under runtimes`, {
      hint: `add runtimes.${wrapped}.path to daemon.json, or make runc the default`,
    });
  }
  const previous: PreviousRuntime = { defaultRuntime: previousDefault, wrapperEntry: runtimes[wrapperName] ?? null, hadRuntimes: isObject(config.runtimes) };
  runtimes[wrapperName] = runtimeArgs.length ? { path: wrapperPath, runtimeArgs } : { path: wrapperPath };
  return { config: { ...config, runtimes, 'default-runtime': wrapperName }, previous };
}

/**
 * Undoes wrapDefaultRuntime: the recorded default runtime and runtimes entry come back. A
 * default-runtime someone changed since is left alone. Where there was no default-runtime key,
 * it becomes "runc" (the same runtime, said explicitly): dockerd 20.10 keeps its old default on a
 * reload without the key, and with that runtime's entry gone it panics (seen in
 * fillPlatformInfo, daemon/info_unix.go:47) and every container loses its daemon.
 */
export function unwrapDefaultRuntime(config: DaemonConfig, wrapperName: string, previous: PreviousRuntime): DaemonConfig {
  const restored: DaemonConfig = { ...config };
  if (restored['default-runtime'] === wrapperName) restored['default-runtime'] = previous.defaultRuntime ?? BUILTIN_RUNTIME;
  if (isObject(restored.runtimes)) {
    const runtimes = { ...restored.runtimes };
    if (previous.wrapperEntry === null) delete runtimes[wrapperName];
    else runtimes[wrapperName] = previous.wrapperEntry;
    if (Object.keys(runtimes).length === 0 && !previous.hadRuntimes) delete restored.runtimes;
    else restored.runtimes = runtimes;
  }
  return restored;
}

/** The runtime Docker reports as default once `config` is loaded. */
export function effectiveDefaultRuntime(config: DaemonConfig): string {
  return typeof config['default-runtime'] === 'string' ? config['default-runtime'] : BUILTIN_RUNTIME;
}
