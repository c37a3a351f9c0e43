import { spawn } from 'node:child_process';
import { CommandError, type CommandResult, type CommandRunner, type RunOptions } from './command-runner.js';
import { createDebugLogger } from './debug-logger.js';
import { lineSplitter } from './line-splitter.js';

const debug = createDebugLogger('exec');

/** After SIGTERM (timeout or abort), a child that still runs gets SIGKILL this much later. */
const FORCE_KILL_AFTER_MS = 5_000;

/** Why a child ended without an exit code; CommandError keeps it as `cause` (DockerNodeExec reads `timedOut`). */
export interface CommandFailure {
  message: string;
  timedOut: boolean;
  isCanceled: boolean;
  signal?: NodeJS.Signals;
  code?: string;
}

/**
 * Subprocesses through node:child_process, with argument arrays and no shell. Not a library:
 * loading one cost most of a short command's start (`lab version` spent 250-680 ms importing it).
 */
export class ChildProcessCommandRunner implements CommandRunner {
  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    debug(`$ ${command} ${args.join(' ')}`);
    if (options.signal?.aborted) {
      return Promise.reject(new CommandError(command, args, undefined, { message: 'cancelled before it started', timedOut: false, isCanceled: true }));
    }
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const splitters = options.onLine ? [lineSplitter(options.onLine), lineSplitter(options.onLine)] : undefined;
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        splitters?.[0]!.push(chunk);
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        splitters?.[1]!.push(chunk);
      });
      if (options.input !== undefined) {
        // A child that exits without reading its stdin must not fail the run with EPIPE.
        child.stdin!.on('error', () => undefined);
        child.stdin!.end(options.input);
      }

      let stopped: Pick<CommandFailure, 'message' | 'timedOut' | 'isCanceled'> | undefined;
      let forceKill: NodeJS.Timeout | undefined;
      const stop = (why: NonNullable<typeof stopped>) => {
        if (stopped || child.exitCode !== null || child.signalCode !== null) return;
        stopped = why;
        child.kill('SIGTERM');
        forceKill = setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS);
        forceKill.unref();
      };
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => stop({ message: `timed out after ${options.timeoutMs} milliseconds`, timedOut: true, isCanceled: false }), options.timeoutMs);
      const onAbort = () => stop({ message: 'cancelled', timedOut: false, isCanceled: true });
      options.signal?.addEventListener('abort', onAbort, { once: true });

      let spawnError: NodeJS.ErrnoException | undefined;
      child.on('error', (error: NodeJS.ErrnoException) => {
        spawnError = error;
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        clearTimeout(forceKill);
        options.signal?.removeEventListener('abort', onAbort);
        splitters?.forEach((splitter) => splitter.end());
        const result: CommandResult = {
          command,
          args,
          exitCode: exitCode ?? -1,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        };
        if (spawnError || stopped || exitCode === null) {
          // Not started (ENOENT), timed out, cancelled or killed by a signal: there is no exit code to hand back.
          const failure: CommandFailure = {
            message: spawnError ? `${spawnError.code ?? 'error'}: ${spawnError.message}` : (stopped?.message ?? `killed by ${signal}`),
            timedOut: stopped?.timedOut ?? false,
            isCanceled: stopped?.isCanceled ?? false,
            ...(signal ? { signal } : {}),
            ...(spawnError?.code ? { code: spawnError.code } : {}),
          };
          reject(new CommandError(command, args, undefined, failure));
        } else if (result.exitCode !== 0 && !options.allowFailure) {
          reject(new CommandError(command, args, result));
        } else {
          resolve(result);
        }
      });
    });
  }
}
