import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createDebugLogger } from '../common/debug-logger.js';
import { makePrivateDirectory, replacePrivateFile } from '../common/write-private-file.js';
import { EARLIER_MAX_AGE_MS, type CpuCounterReads } from './measure-lab-costs.js';

type Read = CpuCounterReads[string];

const debug = createDebugLogger('status');

/** Reads kept per container: statuses a fraction of a second apart must not push out the one old enough to use. */
const MAX_READS_PER_CONTAINER = 32;

/**
 * The CPU counters `lab status` read on earlier runs, in its home, so the next status measures CPU
 * since one of them instead of waiting out a sample. A missing or unreadable file is no earlier
 * reads: the status then samples as on its first run.
 */
export class CpuCounterStore {
  constructor(private readonly path: string) {}

  static inHome(home: string): CpuCounterStore {
    return new CpuCounterStore(join(home, 'cpu-counters.json'));
  }

  /** Per container the youngest read at least minAgeMs and at most EARLIER_MAX_AGE_MS old. */
  earliest(nowMs: number, minAgeMs: number): CpuCounterReads {
    const chosen: CpuCounterReads = {};
    for (const [id, reads] of Object.entries(this.load())) {
      const usable = reads.filter((r) => nowMs - r.atMs >= minAgeMs && nowMs - r.atMs <= EARLIER_MAX_AGE_MS);
      const youngest = usable.sort((a, b) => b.atMs - a.atMs)[0];
      if (youngest) chosen[id] = youngest;
    }
    return chosen;
  }

  /**
   * Adds this run's reads. Per container it keeps the reads younger than minAgeMs and the youngest
   * older one still within EARLIER_MAX_AGE_MS: the one the next status would use.
   */
  save(reads: CpuCounterReads, nowMs: number, minAgeMs: number): void {
    const all = this.load();
    for (const [id, read] of Object.entries(reads)) all[id] = [...(all[id] ?? []), read];
    const kept: Record<string, Read[]> = {};
    for (const [id, list] of Object.entries(all)) {
      const young = list.filter((r) => nowMs - r.atMs < minAgeMs);
      const old = list.filter((r) => nowMs - r.atMs >= minAgeMs && nowMs - r.atMs <= EARLIER_MAX_AGE_MS).sort((a, b) => b.atMs - a.atMs);
      const keep = [...old.slice(0, 1), ...young.sort((a, b) => a.atMs - b.atMs).slice(-(MAX_READS_PER_CONTAINER - 1))];
      if (keep.length > 0) kept[id] = keep;
    }
    try {
      makePrivateDirectory(dirname(this.path));
      // Two statuses at once must not leave half a file.
      replacePrivateFile(this.path, `${JSON.stringify(kept)}\n`);
    } catch (error) {
      // A read-only home costs the next status its shortcut (it samples again), not its answer.
      debug(`CPU counters not kept in ${this.path}:`, (error as Error).message);
    }
  }

  private load(): Record<string, Read[]> {
    if (!existsSync(this.path)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return isReads(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
}

function isReads(value: unknown): value is Record<string, Read[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (list) =>
      Array.isArray(list) &&
      list.every(
        (r: unknown) =>
          typeof r === 'object' &&
          r !== null &&
          typeof (r as { cpuSeconds?: unknown }).cpuSeconds === 'number' &&
          typeof (r as { atMs?: unknown }).atMs === 'number',
      ),
  );
}
