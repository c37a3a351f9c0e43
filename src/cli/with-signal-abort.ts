import { abortOnSignals } from './abort-on-signals.js';

/**
 * Runs work with a signal the first Ctrl-C aborts (see abortOnSignals), and stops listening for
 * signals afterwards whatever happened, so the next command of the process gets them again.
 */
export async function withSignalAbort<T>(announce: (signal: NodeJS.Signals) => void, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = abortOnSignals(announce);
  try {
    return await work(interrupt.signal);
  } finally {
    interrupt.dispose();
  }
}
