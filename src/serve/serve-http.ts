import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { createDebugLogger } from '../common/debug-logger.js';
import { projectRoot } from '../common/paths.js';
import type { LabLiveFeed } from './lab-live-feed.js';
import { redactPod } from './redact-pod.js';
import { renderIndexPage, renderLabPage, type IndexRow } from './render-serve-pages.js';
import { compareText } from '../common/compare-text.js';

const debug = createDebugLogger('serve');

/** No inline script or style, no eval, nothing from elsewhere: the page runs only kindlab's own files. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
export const TOKEN_COOKIE = 'kindlab_serve_token';

export interface ServeHttpOptions {
  listen: string;
  port: number;
  token: string;
  /** The labs this server shows, by name; a feed starts when its page is first opened. */
  feeds: ReadonlyMap<string, LabLiveFeed>;
  /** The index's rows (shape, health and last verify of every lab), read when the index is opened (/ or /labs). */
  index: () => Promise<IndexRow[]>;
}

/** The files the page loads, by their path under /assets/. */
function assetFiles(): Record<string, { path: string; type: string }> {
  const require = createRequire(import.meta.url);
  return {
    // Built by `npm run build` (tsconfig.browser.json), also when this file runs from src/ in unit tests.
    'page.js': { path: join(projectRoot(), 'dist', 'src', 'serve', 'browser', 'serve-page.js'), type: 'text/javascript' },
    // The drawing's geometry, shared with the static report (src/report/render-lab-drawing-html.ts).
    'lab-drawing-layout.js': { path: join(projectRoot(), 'dist', 'src', 'serve', 'browser', 'lab-drawing-layout.js'), type: 'text/javascript' },
    'page.css': { path: join(projectRoot(), 'templates', 'serve', 'page.css'), type: 'text/css' },
    'drawing.css': { path: join(projectRoot(), 'templates', 'serve', 'drawing.css'), type: 'text/css' },
    'icon.svg': { path: join(projectRoot(), 'templates', 'serve', 'icon.svg'), type: 'image/svg+xml' },
    'elk.js': { path: require.resolve('elkjs/lib/elk.bundled.js'), type: 'text/javascript' },
  };
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The HTTP side of `lab serve`. Every request needs the token: the first one brings it in the query
 * (`/?token=...`, the printed URL), the answer moves it to an HttpOnly SameSite=Strict cookie and
 * redirects to the same path without it, so it leaves the address bar and the history.
 */
export async function startServeServer(options: ServeHttpOptions): Promise<RunningServer> {
  const assets = assetFiles();
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      debug(`request ${request.url ?? ''} failed: ${(error as Error).message}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && sameToken(queryToken, options.token)) {
      url.searchParams.delete('token');
      response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`);
      response.setHeader('Location', `${url.pathname}${url.search}`);
      return send(response, 303, 'text/plain; charset=utf-8', '');
    }
    if (!sameToken(cookieToken(request) ?? '', options.token)) {
      return send(response, 401, 'text/plain; charset=utf-8', 'this page needs the token from the URL `lab serve` printed\n');
    }
    if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'only GET\n');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0 && options.feeds.size === 1) return redirect(response, `/lab/${encodeURIComponent([...options.feeds.keys()][0]!)}`);
    // /labs: the index even when one lab is served (its row has the lab's health and last verify).
    if (parts.length === 0 || (parts.length === 1 && parts[0] === 'labs')) {
      return send(response, 200, 'text/html; charset=utf-8', renderIndexPage(await options.index()));
    }
    if (parts[0] === 'assets' && parts.length === 2 && assets[parts[1]!]) {
      const asset = assets[parts[1]!]!;
      return send(response, 200, `${asset.type}; charset=utf-8`, readFileSync(asset.path));
    }
    const feed = parts[0] === 'lab' && parts[1] ? options.feeds.get(parts[1]) : undefined;
    if (!feed) return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (parts.length === 2) return send(response, 200, 'text/html; charset=utf-8', renderLabPage(parts[1]!));
    if (parts[2] === 'events' && parts.length === 3) return streamFeed(feed, response);
    if (parts[2] === 'pod' && parts.length === 5) {
      const pod = feed.pod(parts[3]!, parts[4]!);
      if (!pod) return send(response, 404, 'application/json', '{"error":"no such pod"}\n');
      return send(response, 200, 'application/json', `${JSON.stringify(redactPod(pod), null, 2)}\n`);
    }
    return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
  }

  async function streamFeed(feed: LabLiveFeed, response: ServerResponse): Promise<void> {
    response.writeHead(200, { ...securityHeaders(), 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    streams.add(response);
    const write = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = feed.subscribe((message) => {
      if (message.type === 'view') write('view', message.view);
      else if (message.type === 'tour') write('tour', message.focus);
      else write('controller', message.event);
    });
    const heartbeat = setInterval(() => response.write(': still here\n\n'), 15_000);
    response.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(response);
    });
    write(
      'controller-history',
      [...feed.events].sort((a, b) => compareText(a.time, b.time)),
    );
    await feed.start().catch((error: unknown) => write('failure', { message: (error as Error).message }));
    if (feed.view && !response.writableEnded) write('view', feed.view);
    if (feed.focus && !response.writableEnded) write('tour', feed.focus);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listen, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.listen.includes(':') ? `[${options.listen}]` : options.listen;
  return {
    url: `http://${host}:${port}/?token=${options.token}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { ...securityHeaders(), 'Content-Type': type });
  response.end(body);
}

function redirect(response: ServerResponse, location: string): void {
  response.setHeader('Location', location);
  send(response, 303, 'text/plain; charset=utf-8', '');
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === TOKEN_COOKIE) return value;
  }
  return undefined;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
