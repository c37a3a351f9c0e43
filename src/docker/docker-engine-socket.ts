import { request } from 'node:http';
import { connect } from 'node:net';
import { createDebugLogger } from '../common/debug-logger.js';

const debug = createDebugLogger('docker');

/** What a GET answered: the status code and the parsed JSON body (undefined when it was not JSON). */
export interface EngineResponse {
  statusCode: number;
  body: unknown;
}

/**
 * GETs of the Docker Engine API over the daemon's unix socket: the same answers the docker
 * CLI prints for `ps`, `volume ls` and `inspect` (it asks these very endpoints), without starting a
 * docker process for each. On this machine one docker CLI run costs 30-70 ms, one GET on the socket
 * 2-10 ms, and `lab status` makes three of them before it can answer (bench/command-goals-bench.ts).
 * And execs in containers (exec below), the one write made often. Everything else that changes the
 * daemon stays with the CLI; errors name the docker command ready to paste either way.
 */
export class DockerEngineSocket {
  constructor(readonly socketPath: string) {}

  /** The socket path of a `unix://` endpoint, else undefined (tcp, ssh and the rest keep the CLI). */
  static pathOf(host: string): string | undefined {
    return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  }

  /** One GET; rejects when the socket cannot be reached or the answer breaks off (callers fall back to the CLI). */
  async get(path: string): Promise<EngineResponse> {
    return asJson(await this.request('GET', path));
  }

  /**
   * `docker exec <container> argv` as the CLI runs it (create, start attached without a terminal,
   * inspect for the exit code), without a docker process: on this machine the CLI costs 50-100 ms of
   * CPU per exec, and a report of an ha lab makes five at once on two cores. Undefined when the daemon
   * refuses to create the exec (no such container, not running) or cannot be reached: the caller then
   * runs the CLI, whose error says why. Once created, the exec is not run again: a timeout, an abort
   * or a broken answer rejects with an ExecStopped. Like the CLI's, a stopped exec leaves the
   * process in the container running (the Engine API cannot kill an exec).
   */
  async exec(container: string, argv: readonly string[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ExecAnswer | undefined> {
    debug(`exec unix://${this.socketPath} ${container} ${argv.join(' ')}`);
    let created: EngineResponse;
    try {
      created = await this.post(`/containers/${encodeURIComponent(container)}/exec`, { AttachStdout: true, AttachStderr: true, Cmd: argv });
    } catch (error) {
      debug(`exec create failed (${(error as Error).message}): asking the docker CLI instead`);
      return undefined;
    }
    const id = (created.body as { Id?: unknown } | undefined)?.Id;
    if (created.statusCode !== 201 || typeof id !== 'string') {
      debug(`exec create answered ${created.statusCode}: asking the docker CLI instead`);
      return undefined;
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort(new ExecStopped('cancelled', { timedOut: false, isCanceled: true }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => stop.abort(new ExecStopped(`timed out after ${options.timeoutMs} milliseconds`, { timedOut: true, isCanceled: false })),
            options.timeoutMs,
          );
    try {
      if (options.signal?.aborted) onAbort();
      const started = await this.request('POST', `/exec/${id}/start`, { Detach: false, Tty: false }, stop.signal);
      if (started.statusCode !== 200) throw new ExecStopped(`exec start answered ${started.statusCode}: ${started.raw.toString('utf8').trim()}`);
      const output = demultiplex(started.raw);
      // The stream ends when the process has; its exit code is set by then (the CLI asks once, too).
      const inspected = await this.get(`/exec/${id}/json`);
      const exitCode = (inspected.body as { ExitCode?: unknown } | undefined)?.ExitCode;
      if (typeof exitCode !== 'number') throw new ExecStopped(`exec ${id} has no exit code (inspect answered ${inspected.statusCode})`);
      return { exitCode, ...output };
    } catch (error) {
      if (stop.signal.aborted) throw stop.signal.reason;
      throw error instanceof ExecStopped ? error : new ExecStopped((error as Error).message);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async post(path: string, body: unknown): Promise<EngineResponse> {
    return asJson(await this.request('POST', path, body));
  }

  /** One request; the whole answer as bytes (an exec's output is a stream that ends with the process). */
  private request(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<{ statusCode: number; raw: Buffer }> {
    if (method === 'GET') debug(`GET unix://${this.socketPath}${path}`);
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { Host: 'docker' };
      if (data !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
      // Its own connection, not the global agent's: the agent works out a TLS server name for every request, and asking
      // whether "docker" is an IP address compiles Node's IPv6 pattern, about 8 ms of a 0.2 s `lab status`.
      const createConnection = () => connect(this.socketPath);
      const req = request({ path, method, headers, createConnection, ...(signal ? { signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, raw: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(data);
    });
  }
}

/** An answer with its body parsed as JSON (undefined when it is not JSON). */
function asJson({ statusCode, raw }: { statusCode: number; raw: Buffer }): EngineResponse {
  try {
    return { statusCode, body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { statusCode, body: undefined };
  }
}

/** What an exec printed and how it ended. */
export interface ExecAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** An exec that was created but did not finish with an answer: timed out, cancelled, or the socket broke off. */
export class ExecStopped extends Error {
  readonly timedOut: boolean;
  readonly isCanceled: boolean;

  constructor(message: string, how: { timedOut: boolean; isCanceled: boolean } = { timedOut: false, isCanceled: false }) {
    super(message);
    this.name = 'ExecStopped';
    this.timedOut = how.timedOut;
    this.isCanceled = how.isCanceled;
  }
}

/**
 * An attached exec's stream without a terminal: frames of an 8-byte header (stream 1 stdout, 2 stderr;
 * three zero bytes; the length, big-endian) and the bytes. The runtime's refusal to start a command
 * ("OCI runtime exec failed: ...") comes as stdout, as the CLI prints it. Bytes that are no whole
 * frame (a stream cut short) are kept as stdout rather than dropped.
 */
export function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i < raw.length) {
    const size = i + 8 <= raw.length ? raw.readUInt32BE(i + 4) : -1;
    const isHeader = size >= 0 && raw[i]! <= 2 && raw[i + 1] === 0 && raw[i + 2] === 0 && raw[i + 3] === 0 && i + 8 + size <= raw.length;
    if (!isHeader) {
      out.push(raw.subarray(i));
      break;
    }
    (raw[i] === 2 ? err : out).push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The `filters` query parameter of a listing by labels (`key` or `key=value`, all must match). */
export function labelFilterQuery(labels: readonly string[]): string {
  return `filters=${encodeURIComponent(JSON.stringify({ label: labels }))}`;
}
