import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/topology/parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['120', 120_000],
    ['0s', 0],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'm', '5 m', '5x', '-1s', '1m30'])('refuses %j', (text) => expect(() => parseDuration(text)).toThrow(/invalid --wait/));

  it('formats back', () => {
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(90_000)).toBe('90s');
  });
});
