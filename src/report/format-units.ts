/** kubectl's AGE column (k8s.io/apimachinery duration.HumanDuration), simplified. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '<unknown>';
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return `${d}d`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${units[unit]}`;
}

/**
 * Folds a command line between its arguments: the first line holds at most `width` characters,
 * the others `restWidth`. An argument longer than a line keeps a line of its own rather than being
 * cut, so paths and flags stay copyable.
 */
export function foldCommand(text: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const limit = lines.length === 0 ? width : restWidth;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= limit || line === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = word;
  }
  lines.push(line);
  return lines;
}

/** Wraps prose at spaces. */
export function wrapText(text: string, width: number): string[] {
  return foldCommand(text, width);
}
