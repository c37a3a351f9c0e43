import type { Readable } from 'node:stream';
import type { NodeExecOptions, NodeExecResult } from '../node/node-exec.js';
import { NodeExecTimeoutError } from '../node/node-exec-timeout-error.js';

/** The channels of the API's exec stream (v4/v5.channel.k8s.io): the first byte of each message says which. */
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
/** v5 only: a message on this channel closes the channel named by its second byte (stdin's end of file). */
const CLOSE = 255;
/** Waits for the socket to take this much before reading more of stdin: memory stays flat whatever its size. */
const STDIN_HIGH_WATER_BYTES = 4 << 20;

export interface ExecTarget {
  /** https://server/api/v1/namespaces/<ns>/pods/<pod>/exec?container=..&command=..&stdout=true&stderr=true */
  url: URL;
  headers: Record<string, string>;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; servername?: string };
  /** The command as kubectl would run it, for messages. */
  shown: string;
  /** Streamed to the command's stdin (the url must ask for stdin=true); its end closes the command's stdin. */
  stdin?: Readable;
}

/** The exit status the API sends on the status channel. */
interface ExecStatus {
  status?: string;
  message?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/**
 * Runs one exec through the API's websocket, as `kubectl exec` does, and answers the exit code and
 * output. `ws` is loaded here, only by the commands that exec through the API.
 */
export async function execOverWebSocket(target: ExecTarget, options: NodeExecOptions = {}): Promise<NodeExecResult> {
  options.signal?.throwIfAborted();
  const { default: WebSocket } = await import('ws');
  const socketUrl = new URL(target.url);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  // v5 adds the close message that ends stdin; without stdin, v4 is what every server since 1.4 speaks.
  const socket = new WebSocket(socketUrl, [target.stdin ? 'v5.channel.k8s.io' : 'v4.channel.k8s.io'], { headers: target.headers, ...target.tls });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let status: ExecStatus | undefined;
  socket.on('message', (data: Buffer) => {
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === STDOUT) stdout.push(payload);
    else if (channel === STDERR) stderr.push(payload);
    else if (channel === STATUS && payload.length > 0) status = JSON.parse(payload.toString('utf8')) as ExecStatus;
  });
  return new Promise<NodeExecResult>((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      done();
    };
    const onAbort = () => settle(() => (socket.terminate(), reject(options.signal!.reason)));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => settle(() => (socket.terminate(), reject(new NodeExecTimeoutError(target.shown, options.timeoutMs!)))), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('unexpected-response', (_request, response) =>
      settle(() => {
        response.resume();
        reject(new Error(`failed to run \`${target.shown}\`: the API answered ${response.statusCode} ${response.statusMessage ?? ''}`.trim()));
      }),
    );
    socket.on('error', (error: Error) => settle(() => reject(new Error(`failed to run \`${target.shown}\`: ${error.message}`, { cause: error }))));
    if (target.stdin) {
      const stdin = target.stdin;
      socket.once('open', () => {
        sendStdin(socket, stdin).catch((error: unknown) =>
          settle(() => {
            socket.terminate();
            reject(new Error(`failed to run \`${target.shown}\`: its stdin failed: ${(error as Error).message}`, { cause: error }));
          }),
        );
      });
    }
    socket.on('close', () =>
      settle(() => {
        const exitCode = exitCodeOf(status);
        if (exitCode === undefined)
          reject(new Error(`failed to run \`${target.shown}\`: ${status?.message ?? 'the connection closed without an exit status'}`));
        else resolve({ exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
      }),
    );
  });
}

/** Copies stdin into the socket in channel-0 messages, waiting while the socket holds a backlog, then closes the channel. */
async function sendStdin(socket: import('ws').WebSocket, stdin: Readable): Promise<void> {
  const send = (data: Buffer) => new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
  let pending: Promise<void>[] = [];
  for await (const chunk of stdin) {
    if (socket.readyState !== socket.OPEN) return;
    pending.push(send(Buffer.concat([Buffer.from([STDIN]), chunk as Buffer])));
    if (socket.bufferedAmount > STDIN_HIGH_WATER_BYTES) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  if (socket.readyState === socket.OPEN) await send(Buffer.from([CLOSE, STDIN]));
}

/**
 * The exit code in the API's status message: Success is 0, a non-zero exit is a Failure with an
 * ExitCode cause; any other Failure (the runtime could not start the command) has none.
 */
export function exitCodeOf(status: ExecStatus | undefined): number | undefined {
  if (status?.status === 'Success') return 0;
  const code = status?.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  return code === undefined ? undefined : Number(code);
}
