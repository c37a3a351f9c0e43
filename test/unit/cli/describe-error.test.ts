import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/cli/describe-error.js';
import { KindlabError, UsageError } from '../../../src/common/kindlab-error.js';

/** Shapes of errors Node really throws (`connect ENOENT /nonexistent.sock`, `open EACCES ...`). */
const errno = (message: string, props: Record<string, unknown>): Error => Object.assign(new Error(message), props);

describe('describeError', () => {
  it('prints a usage error and its hint, exit 2', () => {
    expect(describeError(new UsageError('invalid --out "x": it is a directory', { hint: 'give a file' }), false)).toEqual({
      text: 'error: invalid --out "x": it is a directory\nhint: give a file\n',
      exitCode: 2,
    });
  });

  it('gives a usage error without a hint the command help as hint', () => {
    expect(describeError(new UsageError('bad'), false, 'see `lab up --help`').text).toBe('error: bad\nhint: see `lab up --help`\n');
  });

  it('names the Docker daemon for a refused socket connection, also inside a cause chain', () => {
    const refused = errno('connect ECONNREFUSED /var/run/docker.sock', { code: 'ECONNREFUSED', syscall: 'connect', address: '/var/run/docker.sock' });
    const wrapped = new Error('failed to list containers', { cause: refused });
    const { text, exitCode } = describeError(wrapped, false);
    expect(text).toMatch(/^error: failed to reach the Docker daemon at unix:\/\/\/var\/run\/docker\.sock: ECONNREFUSED\nhint: run `lab host prepare`/);
    expect(exitCode).toBe(1);
  });

  it('names the file of a file-system error and keeps the stack out unless --debug', () => {
    const denied = errno("EACCES: permission denied, open '/srv/r.html'", { code: 'EACCES', syscall: 'open', path: '/srv/r.html' });
    const plain = describeError(denied, false);
    expect(plain.text).toBe('error: failed to open /srv/r.html: EACCES\nhint: check that the path exists and that you may write to it\n');
    const debug = describeError(denied, true);
    expect(debug.text).toContain(denied.stack!.split('\n')[1]);
  });

  it('shows only the first line of an unexpected error, with a --debug hint', () => {
    const { text, exitCode } = describeError(new TypeError("Cannot read properties of undefined (reading 'map')\nmore"), false);
    expect(text).toBe("error: Cannot read properties of undefined (reading 'map')\nhint: run again with --debug to see the stack trace\n");
    expect(exitCode).toBe(1);
  });

  it('keeps the exit code a KindlabError carries', () => {
    expect(describeError(new KindlabError('interrupted', { exitCode: 130 }), false).exitCode).toBe(130);
  });
});
