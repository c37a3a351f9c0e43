import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireLabLock } from '../../../src/cluster/lab-lock.js';
import { processStartTime, startTimeFromStat } from '../../../src/common/run-owner.js';

const lockDir = () => mkdtempSync(join(tmpdir(), 'kindlab-locks-'));
/** A live process that is not us: our parent, with its real start time. */
const parent = () => ({ pid: process.ppid, pidStart: processStartTime(process.ppid), startedAt: 'earlier' });
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

describe('acquireLabLock', () => {
  it('creates the lock exclusively with pid and process start time, and releases it', () => {
    const dir = lockDir();
    const lock = acquireLabLock('demo', dir);
    const content = JSON.parse(readFileSync(lock.path, 'utf8'));
    expect(content).toMatchObject({ pid: process.pid, pidStart: processStartTime(process.pid) });
    expect(content.pidStart).toMatch(/^\d+$/);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses while the holder runs, naming it in `kill <pid>` only because its start time matches (exit 2)', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify(parent()));
    expect(() => acquireLabLock('demo', dir)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/lab demo is busy: another kindlab process \(pid \d+, since earlier\)/),
        hint: `wait for it to finish, or stop it with \`kill ${process.ppid}\``,
        exitCode: 2,
      }),
    );
  });

  it('takes over a lock whose pid was reused by another process (start time differs)', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ ...parent(), pidStart: '1' }));
    const lock = acquireLabLock('demo', dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a stale lock whose process is gone, leaving nothing else in the directory', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: deadPid(), pidStart: '5', startedAt: 'earlier' }));
    const lock = acquireLabLock('demo', dir);
    expect(readdirSync(dir)).toEqual(['demo.lock']);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('without a verifiable start time (an older lock) it still refuses, but names no pid to kill', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: process.ppid, startedAt: 'earlier' }));
    expect(() => acquireLabLock('demo', dir)).toThrow(expect.objectContaining({ hint: 'wait for it to finish' }));
  });

  it('respects the lock of a process on another host (a KINDLAB_HOME shared over the network): its pid means nothing here', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: deadPid(), pidStart: '5', owner: `elsewhere boot-x ${deadPid()} 5`, startedAt: 'earlier' }));
    expect(() => acquireLabLock('demo', dir)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/lab demo is busy: another kindlab process/), hint: 'wait for it to finish' }),
    );
  });

  it('a lock still being written (empty) is busy, not stale, until it is old enough', () => {
    const dir = lockDir();
    const path = join(dir, 'demo.lock');
    writeFileSync(path, '');
    expect(() => acquireLabLock('demo', dir)).toThrow(/lab demo is busy: its lock .* is being written/);
    writeFileSync(path, '{"pid": 12');
    expect(() => acquireLabLock('demo', dir)).toThrow(/being written/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = acquireLabLock('demo', dir);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('release leaves a lock that another process took over', () => {
    const dir = lockDir();
    const lock = acquireLabLock('demo', dir);
    writeFileSync(lock.path, JSON.stringify(parent()));
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });

  it.each(['../../../../tmp/victim', 'Bad Name', '', 'a/b', '.hidden', '-x'])('rejects %j before it becomes a path', (name) => {
    const outside = mkdtempSync(join(tmpdir(), 'kindlab-victim-'));
    writeFileSync(join(outside, 'victim.lock'), 'not a lock');
    const dir = lockDir();
    expect(() => acquireLabLock(name, dir)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`invalid lab name ${JSON.stringify(name)}:`), exitCode: 2 }),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(readFileSync(join(outside, 'victim.lock'), 'utf8')).toBe('not a lock');
  });
});

describe('processStartTime', () => {
  it('reads field 22 of /proc/<pid>/stat; a gone process has none', () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(deadPid())).toBeUndefined();
  });

  it('finds field 22 when the command name holds spaces and a parenthesis', () => {
    // Recorded: a script named "x) y z" running `cat /proc/$$/stat` (Debian 12, kernel of this machine).
    const stat =
      '27759 (x) y z) R 27755 27755 28853 0 -1 4194304 91 0 0 0 0 0 0 0 20 0 1 0 122759 2654208 399 18446744073709551615 94857391542272 94857391619001 140724403093008 0 0 0 2147221247 0 65538 0 0 0 17 0 0 0 0 0 0 94857391648304 94857391653440 94858142375936 140724403100307 140724403100342 140724403100342 140724403101661 0';
    expect(startTimeFromStat(stat)).toBe('122759');
    expect(startTimeFromStat('12 (truncated) S 1')).toBeUndefined();
  });
});
