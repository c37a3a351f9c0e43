import { KindlabError } from './kindlab-error.js';
import { sleep } from './sleep.js';

/** What one check saw: done (with the value the caller waited for), or not yet and what it saw instead. */
export type WaitCheckResult<T> = { done: true; value: T; state?: string } | { done: false; state: string };

/** One look at the world. `signal` is aborted when the wait ends (Ctrl-C or the deadline): pass it on to commands and requests. */
export type WaitCheck<T> = (signal: AbortSignal) => Promise<WaitCheckResult<T>>;

export interface WaitOptions {
  /** Completes "failed to wait for <what> within <n>s". */
  what: string;
  /** How long from now; or `deadline`. */
  timeoutMs?: number;
  /** Give up at this Date.now(): one budget shared by several waits (`lab up --wait`). */
  deadline?: number;
  /** Says the time allowed in the timeout message ("within <budget>"); by default the seconds this wait had. */
  budget?: string;
  intervalMs: number;
  /** Ctrl-C: stops the sleep and the running check at once, and the wait throws the signal's reason. */
  signal?: AbortSignal;
  /** Called with each new state seen, for progress lines. */
  onProgress?: (state: string) => void;
  /** The timeout error's hint. */
  hint?: string;
  /** Errors that are not "not yet" but a failure: they end the wait at once, thrown as they are. */
  stopOn?: (error: unknown) => boolean;
}

/** The wait ran out of time; the message carries the last state seen, `cause` the check's last error. */
export class WaitTimeoutError extends KindlabError {
  constructor(
    message: string,
    readonly lastState: string,
    options: { cause?: unknown; hint?: string },
  ) {
    super(message, options);
    this.name = 'WaitTimeoutError';
  }
}

/** The check found what it waited for. */
export function doneWith<T>(value: T, state?: string): WaitCheckResult<T> {
  return state === undefined ? { done: true, value } : { done: true, value, state };
}

/** The check saw `state`, not yet what it waits for. */
export function notYet(state: string): { done: false; state: string } {
  return { done: false, state };
}

/** For checks of a condition: done when it holds, `state` says what was seen either way. */
export function doneIf(condition: boolean, state: string): WaitCheckResult<undefined> {
  return condition ? doneWith(undefined, state) : notYet(state);
}

/** For checks that have a value or not: undefined is "not yet" (described by `state`). */
export function valueOrPending<T>(value: T | undefined, state: string): WaitCheckResult<T> {
  return value === undefined ? notYet(state) : doneWith(value);
}

/**
 * Every poll loop in kindlab: calls `check` until it reports done, `intervalMs` apart, until the
 * deadline. A check that throws (an API not up yet, a command failing) counts as "not yet" and its
 * error is kept for the timeout message. A check still running at the deadline is aborted; the last
 * check may start at the deadline and then gets one interval to answer.
 */
export async function waitUntil<T>(check: WaitCheck<T>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  const deadline = options.deadline ?? started + requireTimeout(options);
  let lastState: string | undefined;
  let lastFailure: string | undefined;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    const limitMs = Math.max(deadline - Date.now(), options.intervalMs);
    try {
      const result = await runCheck(check, limitMs, options.signal);
      const state = result.state ?? lastState;
      if (state !== undefined && state !== lastState) options.onProgress?.(state);
      lastState = state;
      lastFailure = undefined;
      if (result.done) return result.value;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!(error instanceof CheckTimeoutError) && options.stopOn?.(error)) throw error;
      lastError = error;
      lastFailure = firstLine(error);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const seen = lastState ?? 'not checked yet';
      const detail = lastFailure === undefined ? seen : lastState === undefined ? lastFailure : `${seen} (then the check failed: ${lastFailure})`;
      throw new WaitTimeoutError(`failed to wait for ${options.what} within ${options.budget ?? seconds(Math.max(0, deadline - started))}: ${detail}`, detail, {
        ...(lastError === undefined ? {} : { cause: lastError }),
        ...(options.hint ? { hint: options.hint } : {}),
      });
    }
    await sleep(Math.min(options.intervalMs, left), options.signal);
  }
}

/** The check, cut short by the caller's abort or after `limitMs` (then it throws "did not answer"). */
async function runCheck<T>(check: WaitCheck<T>, limitMs: number, outer: AbortSignal | undefined): Promise<WaitCheckResult<T>> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  try {
    const running = check(controller.signal);
    // Whichever loses the race below must not become an unhandled rejection.
    running.catch(() => undefined);
    const timer = sleep(limitMs, controller.signal).then(() => {
      throw new CheckTimeoutError(`the check did not answer within ${seconds(limitMs)}`);
    });
    timer.catch(() => undefined);
    return await Promise.race([running, timer]);
  } finally {
    outer?.removeEventListener('abort', forward);
    // Stops the timer, and a check that is still running (its commands and requests).
    controller.abort(new Error('the wait ended'));
  }
}

/** A check cut at the deadline: "not yet" like any other, whatever stopOn says. */
class CheckTimeoutError extends Error {}

function requireTimeout(options: WaitOptions): number {
  if (options.timeoutMs === undefined) throw new Error(`waitUntil(${options.what}): neither timeoutMs nor deadline given`);
  return options.timeoutMs;
}

/** 90s, 1.5s, 0.02s: whole seconds where that says it. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 0))}s`;
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0] ?? '';
}
