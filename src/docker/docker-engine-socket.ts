import { request } from 'node:http';
import { createDebugLogger } from '../common/debug-logger.js';

const debug = createDebugLogger('docker');

/** What a GET answered: the status code and the parsed JSON body (undefined when it was not JSON). */
export interface EngineResponse {
  statusCode: number;
  body: unknown;
}

/**
 * Read-only GETs of the Docker Engine API over the daemon's unix socket: the same answers the docker
 * CLI prints for `ps`, `volume ls` and `inspect` (it asks these very endpoints), without starting a
 * docker process for each. On this machine one docker CLI run costs 30-70 ms, one GET on the socket
 * 2-10 ms, and `lab status` makes three of them before it can answer (bench/command-goals-bench.ts).
 * Only for reads: everything that changes the daemon stays with the CLI, whose errors carry the
 * command ready to paste.
 */
export class DockerEngineSocket {
  constructor(readonly socketPath: string) {}

  /** The socket path of a `unix://` endpoint, else undefined (tcp, ssh and the rest keep the CLI). */
  static pathOf(host: string): string | undefined {
    return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  }

  /** One GET; rejects when the socket cannot be reached or the answer breaks off (callers fall back to the CLI). */
  get(path: string): Promise<EngineResponse> {
    debug(`GET unix://${this.socketPath}${path}`);
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, path, method: 'GET', headers: { Host: 'docker' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ statusCode: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
}

/** The `filters` query parameter of a listing by labels (`key` or `key=value`, all must match). */
export function labelFilterQuery(labels: readonly string[]): string {
  return `filters=${encodeURIComponent(JSON.stringify({ label: labels }))}`;
}
