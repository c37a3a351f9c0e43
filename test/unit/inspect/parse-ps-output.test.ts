import { describe, expect, it } from 'vitest';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { loadRawNodes, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const nodes = TOPOLOGIES.flatMap((t) => loadRawNodes(t));

describe('parsePsOutput on ps output recorded from kind nodes', () => {
  it('has recorded nodes to test with', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(3);
  });

  it.each(nodes.map((n) => [n.node, n] as const))('%s: one entry per line, pids unique, args intact', (_name, raw) => {
    const entries = parsePsOutput(raw.ps);
    const lines = raw.ps.trim().split('\n').slice(1);
    expect(entries).toHaveLength(lines.length);
    expect(new Set(entries.map((e) => e.pid)).size).toBe(entries.length);
    for (const e of entries) {
      const line = lines.find((l) => new RegExp(`^\\s*${e.pid}\\s+${e.ppid} `).test(l));
      expect(line, `line for pid ${e.pid}`).toBeDefined();
      expect(line!.endsWith(e.args)).toBe(true);
    }
    expect(entries.find((e) => e.pid === 1)?.ppid).toBe(0);
  });

  it('rejects text that is not ps -o pid,ppid,args output', () => {
    expect(() => parsePsOutput('hello\n1 2 3\n')).toThrow(/unexpected header/);
    expect(() => parsePsOutput('    PID    PPID COMMAND\nnot a row\n')).toThrow(/failed to parse ps output line/);
  });
});
