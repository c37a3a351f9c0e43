/**
 * kubectl's AGE column: k8s.io/apimachinery pkg/util/duration HumanDuration, with its thresholds
 * (119s, 2m1s..9m59s, 10m..179m, 3h..7h59m, 8h..47h, 2d..7d23h, 8d..729d, 2y..7y364d, 8y).
 * Go truncates toward zero (`int(d.Seconds())`), hence Math.trunc.
 */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '<unknown>';
  const seconds = Math.trunc(ms / 1000);
  // A clock up to 2 s behind (excluded) still counts as now.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return withRest(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** The age of something created at `from`, as kubectl prints it; `<unknown>` without a timestamp (kubectl's translateTimestamp). */
export function formatAgeSince(from: Date | string | undefined, now: Date): string {
  const then = from === undefined || from === '' ? Number.NaN : new Date(from).getTime();
  return formatAge(now.getTime() - then);
}

function withRest(value: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${value}${unit}` : `${value}${unit}${rest}${restUnit}`;
}
