/** Ctrl-C arriving during a call: `object[method]` now aborts `controller` with `reason`, then does the real call. */
export function abortWhenCalled<T extends object, K extends keyof T>(object: T, method: K, controller: AbortController, reason: Error): void {
  const real = (object[method] as (...args: unknown[]) => unknown).bind(object);
  object[method] = ((...args: unknown[]) => {
    controller.abort(reason);
    return real(...args);
  }) as T[K];
}
