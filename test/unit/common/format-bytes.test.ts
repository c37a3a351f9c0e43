import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../src/common/format-bytes.js';

describe('formatBytes', () => {
  it('binary units (memory) by default', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1024)).toBe('1.0KiB');
    expect(formatBytes(734_003_200)).toBe('700.0MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.0TiB');
  });

  it('decimal units, as docker images prints sizes', () => {
    expect(formatBytes(999, 'decimal')).toBe('999B');
    expect(formatBytes(1_600_000, 'decimal')).toBe('1.6MB');
    expect(formatBytes(739_477_641, 'decimal')).toBe('739.5MB');
  });
});
