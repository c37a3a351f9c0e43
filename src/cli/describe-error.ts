import { CommanderError } from './commander.js';
import { KindlabError } from '../common/kindlab-error.js';

export interface DescribedError {
  /** What goes to stderr: `error: ...` and usually `hint: ...`, one line each (a failed command adds its pasteable line). */
  text: string;
  exitCode: number;
}

const DEBUG_HINT = 'run again with --debug to see the stack trace';

/**
 * The one place an error becomes what the user sees: an `error:` line, a `hint:` line and an exit code
 * (2 for bad input, 1 when the environment is at fault). Stack traces only with `--debug`.
 */
export function describeError(error: unknown, debug: boolean, usageHint = 'see `lab --help`'): DescribedError {
  if (error instanceof CommanderError) {
    // commander already printed its own `error: ...` line and the hint set in run-cli.
    return { text: '', exitCode: error.exitCode === 0 ? 0 : 2 };
  }
  const known = error instanceof KindlabError ? error : classify(error);
  const lines = [`error: ${known.message}`];
  if (known.hint) lines.push(`hint: ${known.hint}`);
  else if (known.exitCode === 2) lines.push(`hint: ${usageHint}`);
  else if (!debug) lines.push(`hint: ${DEBUG_HINT}`);
  if (debug) lines.push(...stackLines(error));
  return { text: `${lines.join('\n')}\n`, exitCode: known.exitCode };
}

/** Errors from Node and libraries, turned into a one-line message naming what failed. */
function classify(error: unknown): KindlabError {
  const errno = findErrno(error);
  if (errno?.syscall === 'connect') {
    const target = errno.address ? `${errno.address}${errno.port ? `:${errno.port}` : ''}` : 'its address';
    if (isDockerAddress(errno.address)) {
      return new KindlabError(`failed to reach the Docker daemon at ${dockerHost(errno.address as string)}: ${errno.code}`, {
        cause: error,
        hint: 'run `lab host prepare` to install and start Docker, or point DOCKER_HOST at a running daemon',
      });
    }
    return new KindlabError(`failed to connect to ${target}: ${errno.code}`, { cause: error, hint: 'is the cluster running? see `lab status`' });
  }
  if (errno?.path) {
    return new KindlabError(`failed to ${errno.syscall ?? 'use'} ${errno.path}: ${errno.code}`, {
      cause: error,
      hint: 'check that the path exists and that you may write to it',
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KindlabError(firstLine(message) || 'unknown failure', { cause: error });
}

interface Errno {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
}

/** The first error in the cause chain that carries an errno code. */
function findErrno(error: unknown): Errno | undefined {
  for (let current = error, depth = 0; current && depth < 10; depth++) {
    const candidate = current as Errno & { cause?: unknown };
    if (typeof candidate.code === 'string' && typeof candidate.syscall === 'string') return candidate;
    current = candidate.cause;
  }
  return undefined;
}

/** A Docker socket (the resolved endpoint's or any *.sock); the Kubernetes API is always host:port. */
function isDockerAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address.endsWith('.sock') || address === process.env.DOCKER_HOST?.replace(/^unix:\/\//, '');
}

function dockerHost(address: string): string {
  return address.startsWith('/') ? `unix://${address}` : address;
}

function stackLines(error: unknown): string[] {
  const lines: string[] = [];
  for (let current = error, depth = 0; current && depth < 10; depth++) {
    const stack = (current as Error).stack ?? String(current);
    lines.push(depth === 0 ? stack : `cause: ${stack}`);
    current = (current as { cause?: unknown }).cause;
  }
  return lines;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
