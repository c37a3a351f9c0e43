import { KindlabError } from '../common/kindlab-error.js';
import { sleep } from '../common/sleep.js';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  /** Completes "failed to wait for <what>". */
  what: string;
}

/**
 * Calls `probe` until it returns a value (not undefined). The tour watches the API change under its
 * feet (pods scheduled, replicas replaced), so this is how it waits without a fixed sleep.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? `: ${(lastError as Error).message}` : '';
      throw new KindlabError(`failed to wait for ${options.what} within ${Math.round(options.timeoutMs / 1000)} s${detail}`, {
        cause: lastError,
      });
    }
    await sleep(options.intervalMs, options.signal);
  }
}

