import { describe, expect, it } from 'vitest';
import { parsePsOutput } from '../../../src/inspect/parse-ps-output.js';
import { descendantsOf, forestOrder, forestPrefix } from '../../../src/inspect/process-tree.js';
import { loadRawNodes, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const withForest = TOPOLOGIES.flatMap((t) => loadRawNodes(t)).filter((n) => n.forest);

/** `ps fxwwo pid,cmd` lines as [pid, art+cmd], without ps itself (it differs between the two runs). */
function procpsForest(text: string): Array<[number, string]> {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => /^\s*(\d+) (.*)$/.exec(line)!)
    .map((m) => [Number(m[1]), m[2]!.trimEnd()] as [number, string]);
}

describe('forestOrder', () => {
  it('has procps forest recordings to compare with', () => {
    expect(withForest.length).toBeGreaterThanOrEqual(2);
  });

  it.each(withForest.map((n) => [n.node, n] as const))('%s: draws the same tree as ps fxwwo pid,cmd', (_name, raw) => {
    const theirs = procpsForest(raw.forest!);
    const ps = parsePsOutput(raw.ps);
    // Only processes present in both recordings: each recording has its own ps process.
    const theirPids = new Set(theirs.map(([pid]) => pid));
    const common = ps.filter((p) => theirPids.has(p.pid) && !p.args.startsWith('ps '));
    const commonPids = new Set(common.map((p) => p.pid));
    const ours = forestOrder(common).map(({ process, depth }) => [process.pid, forestPrefix(depth) + process.args] as [number, string]);
    expect(ours).toEqual(theirs.filter(([pid]) => commonPids.has(pid)));
    expect(ours.some(([, line]) => line.includes(' \\_ '))).toBe(true);
  });

  it('lists every process once, each child after its parent', () => {
    for (const raw of TOPOLOGIES.flatMap((t) => loadRawNodes(t))) {
      const ps = parsePsOutput(raw.ps);
      const rows = forestOrder(ps);
      expect(rows.map((r) => r.process.pid).sort((a, b) => a - b)).toEqual(ps.map((p) => p.pid));
      const position = new Map(rows.map((r, i) => [r.process.pid, i]));
      for (const { process, depth } of rows) {
        if (depth === 0) continue;
        expect(position.get(process.ppid)!).toBeLessThan(position.get(process.pid)!);
        expect(rows[position.get(process.ppid)!]!.depth).toBe(depth - 1);
      }
    }
  });

  it('finds all descendants of pid 1', () => {
    const raw = TOPOLOGIES.flatMap((t) => loadRawNodes(t))[0]!;
    const ps = parsePsOutput(raw.ps);
    const all = descendantsOf(ps, 1);
    expect(all.size).toBe(ps.filter((p) => p.pid !== 1 && p.ppid !== 0).length);
  });
});
