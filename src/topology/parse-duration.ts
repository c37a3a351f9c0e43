import { UsageError } from '../common/kindlab-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Go-style durations as kind's `--wait` takes them: 90s, 5m, 1m30s; a bare number is seconds. */
export function parseDuration(text: string | number, flag = '--wait'): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new UsageError(`invalid ${flag} ${text}: must be a non-negative number of seconds`);
    return Math.round(text * 1000);
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    throw new UsageError(`invalid ${flag} "${text}": expected a duration such as 90s, 5m or 1m30s`);
  }
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
