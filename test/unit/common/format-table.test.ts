import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../src/common/format-table.js';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell, three spaces apart, like kubectl', () => {
    const text = formatTable(
      ['NAME', 'STATUS', 'AGE'],
      [
        ['dev-control-plane', 'Ready', '5m'],
        ['dev-worker', 'NotReady', ''],
      ],
    );
    expect(text.split('\n')).toEqual(['NAME                STATUS     AGE', 'dev-control-plane   Ready      5m', 'dev-worker          NotReady']);
  });

  it('a table without rows is its header', () => {
    expect(formatTable(['A', 'B'], [])).toBe('A   B');
  });
});
