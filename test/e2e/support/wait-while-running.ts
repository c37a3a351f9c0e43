import { waitUntil, type WaitCheck, type WaitOptions } from '../../../src/common/wait-until.js';

/** The process the test waits on ended first: what it waits for will not come. */
class ProcessEnded extends Error {}

/**
 * waitUntil for something a running `lab` process is expected to bring about (an object created, a
 * container started): stops at once, with the exit code, when that process has already ended.
 */
export function waitWhileRunning<T>(child: { exitCode?: number | null }, check: WaitCheck<T>, options: Omit<WaitOptions, 'stopOn'>): Promise<T> {
  return waitUntil(
    async (signal) => {
      if (child.exitCode !== null && child.exitCode !== undefined) throw new ProcessEnded(`the process ended (exit ${child.exitCode}) before ${options.what}`);
      return check(signal);
    },
    { ...options, stopOn: (error) => error instanceof ProcessEnded },
  );
}
