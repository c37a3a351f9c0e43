import { afterEach, beforeEach } from 'vitest';

/** Each test of the enclosing block starts without these variables; their values are put back afterwards. */
export function useCleanEnv(keys: readonly string[]): void {
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    for (const key of keys) {
      saved.set(key, process.env[key]);
      delete process.env[key];
    }
  });
  afterEach(() => {
    for (const key of keys) {
      const value = saved.get(key);
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
  });
}
