import { Option } from './commander.js';
import { UsageError } from '../common/kindlab-error.js';
import { formatDuration, parseDuration } from '../topology/parse-duration.js';

/**
 * The one syntax of every wait flag: Go-style durations (90s, 5m, 1m30s) as kind's `--wait` takes them;
 * a bare number is seconds, as these flags took before. The parsed value is milliseconds.
 */
export function durationOption(flags: string, description: string, defaultMs: number, { allowZero = false } = {}): Option {
  const option = new Option(flags, `${description}; a duration such as 90s, 5m or 1m30s (a bare number is seconds)`);
  const label = option.long ?? option.name();
  return option
    .argParser((value: string) => {
      const ms = parseDuration(value, label);
      if (ms === 0 && !allowZero) throw new UsageError(`invalid ${label} "${value}": must be longer than 0`, { hint: 'give a duration such as 90s or 5m' });
      return ms;
    })
    .default(defaultMs, formatDuration(defaultMs));
}
