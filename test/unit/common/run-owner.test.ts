import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentRunOwner, isRunOwnerGone, localProcessTable, newRunId, parseRunOwner } from '../../../src/common/run-owner.js';

describe('run owner (against this machine\'s real /proc)', () => {
  it('names this process and finds it alive', () => {
    const owner = currentRunOwner();
    expect(parseRunOwner(owner)).toMatchObject({ pid: process.pid, host: localProcessTable.host });
    expect(isRunOwnerGone(owner)).toBe(false);
  });

  it('finds an exited process gone, also when its pid runs something started later', () => {
    const child = spawnSync('true');
    const owner = parseRunOwner(currentRunOwner())!;
    expect(isRunOwnerGone(`${owner.host} ${owner.boot} ${child.pid} ${owner.startTicks}`)).toBe(true);
    // This process's pid with another start time is a reused pid.
    expect(isRunOwnerGone(`${owner.host} ${owner.boot} ${process.pid} 1`)).toBe(true);
    expect(isRunOwnerGone(`${owner.host} another-boot ${process.pid} ${owner.startTicks}`)).toBe(true);
  });

  it('never calls a run gone that it cannot check', () => {
    const owner = parseRunOwner(currentRunOwner())!;
    expect(isRunOwnerGone(`another-host ${owner.boot} 999999 1`)).toBe(false);
    expect(isRunOwnerGone(undefined)).toBe(false);
    expect(isRunOwnerGone('garbage')).toBe(false);
  });

  it('makes run ids that fit a label value and a DNS name suffix', () => {
    expect(newRunId()).toMatch(/^[0-9a-f]{8}$/);
  });
});
