import { describe, expect, it } from 'vitest';
import { doneIf, notYet, waitUntil, WaitTimeoutError } from '../../../src/common/wait-until.js';

/** Tiny intervals and deadlines: these tests assert what the wait says and does, never how long it took. */
const fast = { intervalMs: 1 };

describe('waitUntil', () => {
  it('returns the value once the check is done, reporting each new state once', async () => {
    const states = ['0/3 Ready', '0/3 Ready', '2/3 Ready', '3/3 Ready'];
    const seen: string[] = [];
    let calls = 0;
    const value = await waitUntil(async () => doneIf(++calls === states.length, states[calls - 1]!), {
      ...fast,
      what: 'nodes Ready',
      timeoutMs: 60_000,
      onProgress: (s) => seen.push(s),
    });
    expect(value).toBeUndefined();
    expect(calls).toBe(4);
    expect(seen).toEqual(['0/3 Ready', '2/3 Ready', '3/3 Ready']);
  });

  it('times out with the last state seen in the message, and the hint', async () => {
    let calls = 0;
    const error = await waitUntil(async () => notYet(`${Math.min(++calls, 2)}/3 Ready`), {
      ...fast,
      what: 'nodes Ready',
      timeoutMs: 30,
      hint: 'raise --wait',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({
      message: 'failed to wait for nodes Ready within 0.03s: 2/3 Ready',
      lastState: '2/3 Ready',
      hint: 'raise --wait',
      exitCode: 1,
    });
  });

  it('counts a check that throws as "not yet", and keeps its error for the message', async () => {
    let calls = 0;
    const value = await waitUntil(
      async () => {
        if (++calls < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:6443\nat TCPConnectWrap');
        return { done: true, value: 'up' };
      },
      { ...fast, what: 'the API', timeoutMs: 60_000 },
    );
    expect([value, calls]).toEqual(['up', 3]);

    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6443\nat TCPConnectWrap');
    const never = await waitUntil(async () => Promise.reject(refused), { ...fast, what: 'the API', timeoutMs: 20 }).catch((e: unknown) => e);
    expect(never).toMatchObject({ message: 'failed to wait for the API within 0.02s: connect ECONNREFUSED 127.0.0.1:6443', cause: refused });

    calls = 0;
    const after = await waitUntil(
      async () => {
        if (++calls === 1) return notYet('1/3 Ready');
        throw new Error('the server is currently unable to handle the request');
      },
      { ...fast, what: 'nodes Ready', timeoutMs: 20 },
    ).catch((e: unknown) => e);
    expect((after as Error).message).toBe(
      'failed to wait for nodes Ready within 0.02s: 1/3 Ready (then the check failed: the server is currently unable to handle the request)',
    );
  });

  it('ends at once on an error the caller calls a failure (stopOn)', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    const error = await waitUntil(
      async () => {
        calls++;
        throw denied;
      },
      { ...fast, what: 'the lock', timeoutMs: 60_000, stopOn: (e) => (e as NodeJS.ErrnoException).code !== 'EEXIST' },
    ).catch((e: unknown) => e);
    expect([error, calls]).toEqual([denied, 1]);
  });

  it('stops at once on abort while sleeping between checks, with the signal reason', async () => {
    const abort = new AbortController();
    let calls = 0;
    const wait = waitUntil(
      async () => {
        calls++;
        // Ctrl-C right after the first check: the next one is an hour away.
        setImmediate(() => abort.abort(new Error('SIGINT')));
        return notYet('pending');
      },
      { what: 'pods', timeoutMs: 3_600_000, intervalMs: 3_600_000, signal: abort.signal },
    );
    await expect(wait).rejects.toThrow('SIGINT');
    expect(calls).toBe(1);
  });

  it('stops at once on abort during a check that hangs, and aborts the signal the check was given', async () => {
    const abort = new AbortController();
    let checkSignal: AbortSignal | undefined;
    const wait = waitUntil(
      (signal) => {
        checkSignal = signal;
        setImmediate(() => abort.abort(new Error('SIGTERM')));
        return new Promise<never>(() => undefined);
      },
      { what: 'etcd', timeoutMs: 3_600_000, intervalMs: 1000, signal: abort.signal },
    );
    await expect(wait).rejects.toThrow('SIGTERM');
    expect(checkSignal?.aborted).toBe(true);
  });

  it('does not start when already aborted', async () => {
    let calls = 0;
    const wait = waitUntil(async () => notYet(`${++calls}`), { ...fast, what: 'x', timeoutMs: 1000, signal: AbortSignal.abort(new Error('gone')) });
    await expect(wait).rejects.toThrow('gone');
    expect(calls).toBe(0);
  });

  it('cuts a check still running at the deadline and says so', async () => {
    let checkSignal: AbortSignal | undefined;
    const error = await waitUntil(
      (signal) => {
        checkSignal = signal;
        return new Promise<never>(() => undefined);
      },
      { what: 'dockerd', timeoutMs: 20, intervalMs: 5 },
    ).catch((e: unknown) => e);
    // The check is given what is left of the 20 ms when it starts: less on a busy machine (0.01s was seen in a unit run).
    expect((error as Error).message).toMatch(/^failed to wait for dockerd within 0\.02s: the check did not answer within 0\.0[12]s$/);
    expect(checkSignal?.aborted).toBe(true);
  });

  it('checks once more when the deadline has already passed (a shared budget spent by an earlier wait)', async () => {
    let calls = 0;
    await expect(waitUntil(async () => doneIf(++calls > 0, 'ok'), { ...fast, what: 'pods', deadline: Date.now() - 1000 })).resolves.toBeUndefined();
    const error = await waitUntil(async () => notYet('0/9 Ready'), { ...fast, what: 'pods', deadline: Date.now() - 1000 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('failed to wait for pods within 0s: 0/9 Ready');
  });
});
