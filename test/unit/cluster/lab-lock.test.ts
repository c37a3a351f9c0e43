import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireLabLock } from '../../../src/cluster/lab-lock.js';

describe('acquireLabLock', () => {
  it('refuses a second holder while the first runs, then frees the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-locks-'));
    // A live process that is not us: our parent.
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: process.ppid, startedAt: 'earlier' }));
    expect(() => acquireLabLock('demo', dir)).toThrow(/lab demo is busy: another kindlab process \(pid \d+/);
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-locks-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: Number(dead), startedAt: 'earlier' }));
    const lock = acquireLabLock('demo', dir);
    expect(existsSync(lock.path)).toBe(true);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('uses exit code 2 for a busy lab', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-locks-'));
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: process.ppid, startedAt: 'earlier' }));
    try {
      acquireLabLock('demo', dir);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
      return;
    }
    throw new Error('expected the lock to be refused');
  });
});
