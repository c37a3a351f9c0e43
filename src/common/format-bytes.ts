const UNITS = {
  /** Powers of 1000, as `docker images` prints image sizes. */
  decimal: { base: 1000, names: ['B', 'KB', 'MB', 'GB', 'TB'] },
  /** Powers of 1024, as kubectl and the kernel count memory. */
  binary: { base: 1024, names: ['B', 'KiB', 'MiB', 'GiB', 'TiB'] },
} as const;

/** `1.5GB` / `12.3MiB`: one decimal above bytes, the largest unit that keeps the value at or above 1. */
export function formatBytes(bytes: number, system: keyof typeof UNITS = 'binary'): string {
  const { base, names } = UNITS[system];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < names.length - 1) {
    value /= base;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)}${names[unit]}`;
}
