import { UsageError } from '../common/kindlab-error.js';
import { isValidLabName, MAX_LAB_NAME_LENGTH, parseLabName } from '../common/parse-lab-name.js';

/** A sanity bound on --count (a typo of 10000); what the host holds is checked against its capacity. */
export const MAX_ROOM_COUNT = 1000;

/**
 * `--count 12 --prefix team` -> team-01 ... team-12: numbered from 1, zero-padded to at least two
 * digits so the names sort in order in `lab list` and in the summary.
 */
export function numberedLabNames(prefix: string, count: number): string[] {
  parseRoomPrefix(prefix);
  const width = Math.max(2, String(count).length);
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, '0')}`);
  // The prefix is a valid name; the longest numbered name may still be too long.
  const longest = names.at(-1) ?? prefix;
  if (!isValidLabName(longest)) {
    throw new UsageError(`invalid --prefix ${JSON.stringify(prefix)}: the lab name ${longest} would be longer than ${MAX_LAB_NAME_LENGTH} characters`, {
      hint: `use a prefix of at most ${MAX_LAB_NAME_LENGTH - width - 1} characters`,
    });
  }
  return names;
}

/** --prefix: a lab name itself (it is a label value and the start of every lab name of the room). */
export function parseRoomPrefix(prefix: string): string {
  return parseLabName(prefix, '--prefix');
}

/** --count: a whole number from 1 to MAX_ROOM_COUNT. */
export function parseRoomCount(value: string): number {
  const count = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ROOM_COUNT) {
    throw new UsageError(`invalid --count ${JSON.stringify(value)}: give a whole number from 1 to ${MAX_ROOM_COUNT}`, {
      hint: 'e.g. `lab up single --count 12 --prefix team`; `lab capacity single` says how many this host holds',
    });
  }
  return count;
}
