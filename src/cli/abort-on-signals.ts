/** The exit code a shell reports for a process ended by this signal (128 + its number). */
export function exitCodeForSignal(signal: unknown): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

export interface SignalAbort {
  /** Aborted on the first SIGINT/SIGTERM, with the signal's name as the reason. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * The first SIGINT/SIGTERM aborts the run so its cleanup can remove what it made; a second one while
 * that cleanup runs means "stop now" and exits at once (what is left then needs `lab down`).
 */
export function abortOnSignals(announce: (signal: NodeJS.Signals) => void): SignalAbort {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return process.exit(exitCodeForSignal(signal));
    announce(signal);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
