import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import { EARLIER_MAX_AGE_MS, type CpuCounterReads } from './measure-lab-costs.js';

/**
 * The CPU counters `lab status` read last time, in its home, so the next status measures CPU since
 * then instead of waiting out a sample. A missing or unreadable file is no earlier reads: the
 * status then samples as on its first run.
 */
export class CpuCounterStore {
  constructor(private readonly path: string) {}

  static inHome(home: string): CpuCounterStore {
    return new CpuCounterStore(join(home, 'cpu-counters.json'));
  }

  load(): CpuCounterReads {
    if (!existsSync(this.path)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return isReads(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }

  /** Keeps this run's reads and the other containers' reads that are still young enough to use. */
  save(reads: CpuCounterReads, nowMs: number): void {
    const kept: CpuCounterReads = {};
    for (const [id, read] of Object.entries(this.load())) if (nowMs - read.atMs <= EARLIER_MAX_AGE_MS) kept[id] = read;
    makePrivateDirectory(dirname(this.path));
    // Written aside and renamed: two statuses at once must not leave half a file.
    const partial = `${this.path}.${process.pid}.tmp`;
    writePrivateFile(partial, `${JSON.stringify({ ...kept, ...reads })}\n`);
    renameSync(partial, this.path);
  }
}

function isReads(value: unknown): value is CpuCounterReads {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (r) =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as { cpuSeconds?: unknown }).cpuSeconds === 'number' &&
      typeof (r as { atMs?: unknown }).atMs === 'number',
  );
}
