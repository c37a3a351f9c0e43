import { KindlabError } from '../common/kindlab-error.js';
import { sleep } from '../common/sleep.js';

/**
 * Polls `check` until it returns { done: true } or the deadline passes. `check` describes the current
 * state each time, so a timeout says what was still missing; thrown errors (API not up yet) count as
 * "not yet".
 */
export async function waitUntil(
  what: string,
  check: () => Promise<{ done: boolean; progress: string }>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal; onProgress?: (progress: string) => void },
): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const state = await check();
      if (state.progress !== last) options.onProgress?.(state.progress);
      last = state.progress;
      if (state.done) return state.progress;
    } catch (error) {
      last = `waiting for the API: ${(error as Error).message.split('\n')[0]}`;
    }
    if (Date.now() >= deadline) throw new KindlabError(`failed to wait for ${what} within ${Math.round(options.timeoutMs / 1000)}s: ${last}`);
    await sleep(options.intervalMs ?? 2000, options.signal);
  }
}
