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
  boot: string | undefined;
  /** undefined when no such process runs. */
  startTicks(pid: number): string | undefined;
}

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
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  },
};

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
  if (!owner || owner.host !== table.host || !table.boot) return false;
  if (owner.boot !== table.boot) return true;
  return table.startTicks(owner.pid) !== owner.startTicks;
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
