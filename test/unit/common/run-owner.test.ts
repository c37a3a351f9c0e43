import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  currentRunOwner,
  isProcessRunning,
  isRunOwnerGone,
  localProcessTable,
  newRunId,
  parseRunOwner,
  processState,
  type ProcessTable,
} from '../../../src/common/run-owner.js';
import { doneIf, waitUntil } from '../../../src/common/wait-until.js';

describe("run owner (against this machine's real /proc)", () => {
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

describe('processState (the one liveness check, fake process tables)', () => {
  const table: ProcessTable = { host: 'box', pid: 100, boot: 'boot-1', startTicks: (pid) => ({ 100: '5000', 200: '7000' })[pid] };

  it('tells the same process, a reused pid, an exited one and one from before a reboot', () => {
    expect(processState({ pid: 200, startTicks: '7000', host: 'box', boot: 'boot-1' }, table)).toBe('verified');
    expect(processState({ pid: 200, startTicks: '6999' }, table)).toBe('gone');
    expect(processState({ pid: 300, startTicks: '1' }, table)).toBe('gone');
    expect(processState({ pid: 200, startTicks: '7000', boot: 'boot-0' }, table)).toBe('gone');
  });

  it('never calls gone what it cannot check: another host, or no start time recorded', () => {
    expect(processState({ pid: 300, startTicks: '1', host: 'elsewhere' }, table)).toBe('running');
    expect(processState({ pid: 200 }, table)).toBe('running');
    expect(isProcessRunning(200, table)).toBe(true);
    expect(isProcessRunning(300, table)).toBe(false);
  });

  it('without /proc asks whether the pid exists at all', () => {
    const noProc: ProcessTable = { host: 'mac', pid: 100, boot: undefined, startTicks: () => undefined, exists: (pid) => pid === 200 };
    expect(processState({ pid: 200, startTicks: '7000' }, noProc)).toBe('running');
    expect(processState({ pid: 300, startTicks: '7000' }, noProc)).toBe('gone');
  });
});

describe("isProcessRunning (this machine's real /proc)", () => {
  it('counts a zombie (exited, not yet reaped) as not running, as dockerd stop needs', async () => {
    // The child exits only once its parent has exec'd sleep, which never reaps it: a zombie for 30 s.
    // A child that exits at once (`true &`) races the shell, which may reap it before the exec (CI saw
    // the zombie's /proc entry gone under load).
    const child = 'while [ "$(cat /proc/$PPID/comm)" != sleep ]; do sleep 0.01; done';
    const parent = spawn('sh', ['-c', 'sh -c "$1" & echo $!; exec sleep 30', 'sh', child], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await once(parent.stdout, 'data'))[0].toString().trim());
      await waitUntil(async () => doneIf(readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z '), 'not a zombie yet'), {
        what: 'the zombie',
        timeoutMs: 10_000,
        intervalMs: 10,
      });
      expect(isProcessRunning(zombie)).toBe(false);
      expect(isProcessRunning(parent.pid!)).toBe(true);
    } finally {
      parent.kill();
    }
    // Longer than the wait's own 10 s deadline: on a loaded host the spawn alone took seconds (vitest's 5 s cut it).
  }, 30_000);
});
