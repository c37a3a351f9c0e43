import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { LAB_RUN_LABEL, RUN_OWNER_ANNOTATION } from './labels.js';

/**
 * The process behind a run, written on every object the run creates (annotation RUN_OWNER_ANNOTATION).
 * A later run deletes another run's leftovers only when this proves that run's process is gone: same
 * host, and either another boot or no process with that pid and start time. Anything else (another
 * host, no /proc, an object without the annotation) is left alone: a live run might still use it.
 */
export interface RunOwner {
  host: string;
  /** /proc/sys/kernel/random/boot_id: after a reboot every earlier process is gone. */
  boot: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): a reused pid has another start time. */
  startTicks: string;
}

/** What the liveness check reads; tests pass their own. */
export interface ProcessTable {
  host: string;
  /** This process. */
  pid: number;
  /** undefined where there is no /proc: then startTicks says nothing about liveness. */
  boot: string | undefined;
  /** undefined when no such process runs (a zombie has exited: it only waits to be reaped). */
  startTicks(pid: number): string | undefined;
  /** Without /proc: whether the pid exists at all (kill 0). */
  exists?(pid: number): boolean;
}

/** A process as a lock file or an object annotation records it; host and boot when known. */
export interface ProcessIdentity {
  pid: number;
  startTicks?: string | undefined;
  host?: string | undefined;
  boot?: string | undefined;
}

/** verified: the same process still runs; running: the pid runs, or it cannot be told (another host); gone: provably. */
export type ProcessState = 'verified' | 'running' | 'gone';

/** 8 hex characters: fits a label value and a DNS-1123 name suffix; collisions are 1 in 4 billion. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

export const localProcessTable: ProcessTable = {
  host: hostname(),
  pid: process.pid,
  boot: readTrimmed('/proc/sys/kernel/random/boot_id'),
  startTicks: (pid) => {
    const stat = readTrimmed(`/proc/${pid}/stat`);
    return stat === undefined || stateFromStat(stat) === 'Z' ? undefined : startTimeFromStat(stat);
  },
  exists: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/** The one liveness check: is the process that `who` recorded still the one running under its pid? */
export function processState(who: ProcessIdentity, table: ProcessTable = localProcessTable): ProcessState {
  if (who.host !== undefined && who.host !== table.host) return 'running';
  if (who.boot !== undefined && table.boot !== undefined && who.boot !== table.boot) return 'gone';
  const startTicks = table.startTicks(who.pid);
  if (startTicks === undefined) {
    if (table.boot !== undefined) return 'gone';
    return table.exists === undefined || table.exists(who.pid) ? 'running' : 'gone';
  }
  if (who.startTicks === undefined) return 'running';
  return startTicks === who.startTicks ? 'verified' : 'gone';
}

/** The pid runs (not a zombie). For a pid from a pid file, where no start time was recorded. */
export function isProcessRunning(pid: number, table: ProcessTable = localProcessTable): boolean {
  return processState({ pid }, table) !== 'gone';
}

/** Field 22 (starttime, clock ticks since boot) of /proc/<pid>/stat, of this machine's real /proc. */
export function processStartTime(pid: number): string | undefined {
  return localProcessTable.startTicks(pid);
}

/** Field 22 of a /proc/<pid>/stat line. The command name (field 2) may hold spaces and ')': fields are counted after the last ')'. */
export function startTimeFromStat(stat: string): string | undefined {
  // Index 0 is field 3 (state), so field 22 is at index 19.
  const value = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

function stateFromStat(stat: string): string | undefined {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

/** The owner string of this process, or undefined where /proc cannot say (then leftovers are never taken for dead). */
export function currentRunOwner(table: ProcessTable = localProcessTable): string | undefined {
  const startTicks = table.startTicks(table.pid);
  if (!table.boot || !startTicks) return undefined;
  return formatRunOwner({ host: table.host, boot: table.boot, pid: table.pid, startTicks });
}

export function formatRunOwner(owner: RunOwner): string {
  return `${owner.host} ${owner.boot} ${owner.pid} ${owner.startTicks}`;
}

export function parseRunOwner(text: string | undefined): RunOwner | undefined {
  const [host, boot, pid, startTicks, ...rest] = (text ?? '').split(' ');
  if (!host || !boot || !pid || !/^\d+$/.test(pid) || !startTicks || rest.length > 0) return undefined;
  return { host, boot, pid: Number(pid), startTicks };
}

/** True only when the owner provably no longer runs (see RunOwner). */
export function isRunOwnerGone(ownerText: string | undefined, table: ProcessTable = localProcessTable): boolean {
  const owner = parseRunOwner(ownerText);
  // Without /proc here an owner string cannot be checked (it was written where /proc exists).
  if (!owner || !table.boot) return false;
  return processState(owner, table) === 'gone';
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Metadata of an object some run created, as the Kubernetes API lists it. */
export interface RunObjectMeta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The runs other than `ownRunId` whose objects are left over from a process that is provably gone. */
export function deadRunIds(objects: readonly RunObjectMeta[], ownRunId: string, table: ProcessTable = localProcessTable): string[] {
  const dead = new Set<string>();
  for (const object of objects) {
    const run = object.labels?.[LAB_RUN_LABEL];
    if (!run || run === ownRunId || dead.has(run)) continue;
    if (isRunOwnerGone(object.annotations?.[RUN_OWNER_ANNOTATION], table)) dead.add(run);
  }
  return [...dead].sort();
}

export interface DeadRunRemoval {
  ownRunId: string;
  /** The labels and annotations of every object of the kind the runs leave (of every run). */
  list: () => Promise<readonly RunObjectMeta[]>;
  /** Removes one run's objects (and waits until they are gone). */
  remove: (runId: string) => Promise<unknown>;
  /** For the debug lines: "tour", "verify", "agent". */
  what: string;
  debug: (message: string, ...rest: unknown[]) => void;
  processes?: ProcessTable | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Leftovers of runs that were killed (SIGKILL, a crash, a reboot): removed only when their owner
 * process is provably gone (deadRunIds), so a run going on at the same time keeps its objects. Best
 * effort: returns the runs it removed and logs a failure, but Ctrl-C while it waits ends the run.
 */
export async function removeDeadRuns(removal: DeadRunRemoval): Promise<string[]> {
  try {
    const dead = deadRunIds(await removal.list(), removal.ownRunId, removal.processes);
    for (const run of dead) {
      removal.debug(`removing the objects of ${removal.what} run ${run}: its process is gone`);
      await removal.remove(run);
    }
    return dead;
  } catch (error) {
    if (removal.signal?.aborted) throw error;
    removal.debug(`failed to remove the objects of dead ${removal.what} runs`, error);
    return [];
  }
}
