import { describe, expect, it } from 'vitest';
import { chooseParallelism } from '../../../src/room/choose-parallelism.js';

const GIB = 1024 ** 3;

describe('chooseParallelism', () => {
  it('creates one lab per core when memory allows (this host: 2 cores, 19.9 GiB available)', () => {
    const p = chooseParallelism({ count: 12, cores: 2, availableMemoryBytes: 19.9 * GIB, nodesPerLab: 1 });
    expect(p.parallel).toBe(2);
    expect(p.reason).toBe('at most one per core and per 1.0GiB of free memory (2 core(s): 2; 19.9GiB available at 1.0GiB per lab: 19)');
  });

  it('never more than the labs asked for, never fewer than one', () => {
    expect(chooseParallelism({ count: 1, cores: 16, availableMemoryBytes: 64 * GIB, nodesPerLab: 1 }).parallel).toBe(1);
    expect(chooseParallelism({ count: 5, cores: 0, availableMemoryBytes: 0, nodesPerLab: 4 }).parallel).toBe(1);
  });

  it('creates fewer at once when memory is short for the nodes of each lab', () => {
    expect(chooseParallelism({ count: 30, cores: 16, availableMemoryBytes: 10 * GIB, nodesPerLab: 1 }).parallel).toBe(10);
    // ha: 4 nodes, 4 GiB per lab in flight.
    expect(chooseParallelism({ count: 30, cores: 16, availableMemoryBytes: 10 * GIB, nodesPerLab: 4 }).parallel).toBe(2);
  });
});
