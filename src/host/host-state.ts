import { KindlabError } from '../common/kindlab-error.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { PreviousRuntime } from './merge-daemon-json.js';

/** A sysctl prepare raised: reset writes `previous` back while it still reads `set`. */
export interface SysctlChange {
  name: string;
  path: string;
  previous: number;
  set: number;
}

/** What `lab host prepare` changed on this host, so `lab host reset` undoes exactly that. */
export interface HostState {
  version: 1;
  daemonJson: string;
  /** The wrapper registered as default runtime; `adopted` when an older kindlab had installed it. */
  runtime?: PreviousRuntime & { name: string; wrapperPath: string; adopted: boolean; backup: string | undefined };
  /** The wrapper binary prepare installed (or adopted). */
  wrapperInstalled?: string;
  sysctls: SysctlChange[];
  /** A directory prepare created empty (kind bind-mounts /lib/modules). */
  createdDirs: string[];
}

export function emptyHostState(daemonJson: string): HostState {
  return { version: 1, daemonJson, sysctls: [], createdDirs: [] };
}

export async function readHostState(fs: HostFilesystem, path: string): Promise<HostState | undefined> {
  const text = await fs.readText(path);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as HostState;
    if (state.version !== 1) throw new Error(`unknown version ${String(state.version)}`);
    return { ...state, sysctls: state.sysctls ?? [], createdDirs: state.createdDirs ?? [] };
  } catch (error) {
    throw new KindlabError(`failed to read kindlab's host state ${path}`, {
      cause: error,
      hint: `it records what \`lab host prepare\` changed; inspect or remove ${path}`,
    });
  }
}

/** Read-modify-write of the state file, which only root (0600) reads: it names the host's files. */
export async function updateHostState(fs: HostFilesystem, path: string, daemonJson: string, change: (state: HostState) => void): Promise<HostState> {
  const state = (await readHostState(fs, path)) ?? emptyHostState(daemonJson);
  change(state);
  await fs.writeAtomic(path, Buffer.from(`${JSON.stringify(state, null, 2)}\n`), 0o600);
  return state;
}

/** Records a raised sysctl, keeping the value from before the first raise. */
export function recordSysctl(state: HostState, change: SysctlChange): void {
  const earlier = state.sysctls.find((s) => s.name === change.name);
  if (earlier) earlier.set = change.set;
  else state.sysctls.push(change);
}
