import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KindlabError } from '../common/kindlab-error.js';
import { isProcessRunning } from '../common/run-owner.js';
import { doneIf, waitUntil } from '../common/wait-until.js';
import type { DockerdProcess } from './dockerd-process.js';

/**
 * These machines have no systemd, so dockerd is a detached child of nobody: its own session, no
 * pipes back to `lab`, logs in a file. A CommandRunner would wait for it or kill it on exit.
 */
export class DetachedDockerdProcess implements DockerdProcess {
  async start(logFile: string, args: readonly string[]): Promise<number> {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = openSync(logFile, 'a');
    try {
      const child = spawn('dockerd', [...args], { detached: true, stdio: ['ignore', log, log] });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('error', reject);
        child.once('spawn', () => resolve(child.pid ?? -1));
      });
      child.unref();
      return pid;
    } catch (error) {
      throw new KindlabError('failed to start dockerd', { cause: error, hint: `see ${logFile}` });
    } finally {
      closeSync(log);
    }
  }

  async pid(pidFile: string): Promise<number | undefined> {
    try {
      const pid = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10);
      // A stale pid file can name a reused pid: only a live process named dockerd counts.
      return Number.isInteger(pid) && isProcessRunning(pid) && (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'dockerd' ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  reload(pid: number): void {
    process.kill(pid, 'SIGHUP');
  }

  async stop(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    process.kill(pid, 'SIGTERM');
    await waitUntil(async () => doneIf(!isProcessRunning(pid), 'it still runs'), {
      what: `dockerd (pid ${pid}) to stop after SIGTERM`,
      timeoutMs,
      intervalMs: 200,
      signal,
    });
  }
}
