import { expect } from 'vitest';
import { InvalidFileError } from '../../../src/common/invalid-file-error.js';
import { UsageError } from '../../../src/common/kindlab-error.js';

/** The error `run` throws, checked to be a `type` (a UsageError: exit 2); fails the test otherwise. */
export function usageErrorOf<T extends UsageError = UsageError>(run: () => unknown, type: abstract new (...args: never[]) => T = UsageError as never): T {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as T).exitCode).toBe(2);
    return error as T;
  }
  throw new Error(`expected a ${type.name}, got none`);
}

/** A file that breaks its schema or a rule across its fields: every problem with its JSON pointer. */
export function fileProblemsOf(run: () => unknown): string[] {
  return usageErrorOf(run, InvalidFileError).problems;
}
