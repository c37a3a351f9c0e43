import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortOnSignals, exitCodeForSignal } from '../../../src/cli/abort-on-signals.js';

describe('abortOnSignals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('aborts on the first signal with its name, and exits at once on the second', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const announced: string[] = [];
    const interrupt = abortOnSignals((signal) => announced.push(signal));
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.signal.reason).toBe('SIGTERM');
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGINT', 'SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
      expect(announced).toEqual(['SIGTERM']);
    } finally {
      interrupt.dispose();
    }
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('maps signals to the exit codes shells report', () => {
    expect(exitCodeForSignal('SIGINT')).toBe(130);
    expect(exitCodeForSignal('SIGTERM')).toBe(143);
  });
});
