import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CoreV1Event, V1Node } from '@kubernetes/client-node';
import { ChildProcessCommandRunner } from '../common/child-process-command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { lineSplitter } from '../common/line-splitter.js';
import type { ExecInPodOptions, KubeApi, KubeClientFactory, KubeObjects, ObjectKind, WatchChange, WatchedCollection } from './kube-api.js';
import { formatCommand } from '../common/shell-quote.js';
import type { NodeExecResult } from '../node/node-exec.js';
import { kubeconfigCredentials, kubeconfigServer, type KubeCredentials } from './kubeconfig-credentials.js';

/** Where each object kind lives in the API. */
const RESOURCES: Record<ObjectKind, { group: string; plural: string }> = {
  pod: { group: '/api/v1', plural: 'pods' },
  service: { group: '/api/v1', plural: 'services' },
  configmap: { group: '/api/v1', plural: 'configmaps' },
  deployment: { group: '/apis/apps/v1', plural: 'deployments' },
  replicaset: { group: '/apis/apps/v1', plural: 'replicasets' },
  endpointslice: { group: '/apis/discovery.k8s.io/v1', plural: 'endpointslices' },
};

/** No answer in this long means the API server is gone; kindlab's waits poll, so a request never waits longer. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A read's tries: two short ones, each on a new connection, then the rest of REQUEST_TIMEOUT_MS. An API
 * server that is up answers a read in milliseconds; 5 s leaves room for a loaded 2-core machine.
 */
const READ_ATTEMPT_TIMEOUTS_MS = [5_000, 5_000, REQUEST_TIMEOUT_MS - 10_000];

/** A request whose socket stayed silent for its whole timeout. */
class NoAnswerError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer in ${timeoutMs / 1000} s`);
    this.name = 'NoAnswerError';
  }
}

/** A failed API request: the HTTP status and the API's own reason (NotFound, Conflict, ...), as kubectl shows them. */
export class KubeApiError extends KindlabError {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly reason: string | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

/**
 * KubeApi over HTTPS with node's own http(s) and JSON, one kept-alive connection per client.
 * Not a client library: loading @kubernetes/client-node took 826 modules and most of every short
 * command's time (700 ms idle, seconds under load); the API calls kindlab makes are a dozen plain
 * REST requests. Objects come back as the API's JSON (timestamps as strings), exactly as kubectl
 * records them, so a kubectl JSON recording is a fixture.
 */
export class HttpsKubeApi implements KubeApi {
  readonly server: string;
  private credentials: Promise<KubeCredentials> | undefined;
  private agent: HttpAgent | undefined;

  constructor(
    private readonly kubeconfigText: string,
    /** A read's tries (tests shorten them). */
    private readonly readAttemptTimeoutsMs: readonly number[] = READ_ATTEMPT_TIMEOUTS_MS,
  ) {
    this.server = kubeconfigServer(kubeconfigText);
  }

  async gitVersion(): Promise<string> {
    return (await this.json<{ gitVersion: string }>('GET', '/version')).gitVersion;
  }

  async listNodes(): Promise<V1Node[]> {
    return (await this.json<{ items: V1Node[] }>('GET', '/api/v1/nodes')).items;
  }

  read<K extends ObjectKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K]> {
    return this.json('GET', `${collection(kind, namespace)}/${encodeURIComponent(name)}`);
  }

  create<K extends ObjectKind>(kind: K, namespace: string, object: KubeObjects[K]): Promise<KubeObjects[K]> {
    return this.json('POST', collection(kind, namespace), { body: { ...object, metadata: { ...object.metadata, namespace } } });
  }

  async list<K extends ObjectKind>(kind: K, namespace?: string, labelSelector?: string): Promise<Array<KubeObjects[K]>> {
    return (await this.json<{ items: Array<KubeObjects[K]> }>('GET', collection(kind, namespace), { query: { labelSelector } })).items;
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.json('DELETE', `${collection('pod', namespace)}/${encodeURIComponent(name)}`);
  }

  async deleteLabelled(kind: ObjectKind, namespace: string, labelSelector: string): Promise<void> {
    // Pods go at once; Deployments and ReplicaSets in the background, so the garbage collector takes their dependents.
    // Services have no collection DELETE: each one found goes by name.
    if (kind === 'service') {
      const found = await this.list('service', namespace, labelSelector);
      await Promise.all(found.map((s) => this.json('DELETE', `${collection(kind, namespace)}/${encodeURIComponent(s.metadata?.name ?? '')}`)));
      return;
    }
    const query =
      kind === 'pod'
        ? { labelSelector, gracePeriodSeconds: '0' }
        : kind === 'deployment' || kind === 'replicaset'
          ? { labelSelector, propagationPolicy: 'Background' }
          : { labelSelector };
    await this.json('DELETE', collection(kind, namespace), { query });
  }

  async podLog(namespace: string, name: string, options: { container?: string; tailLines: number }): Promise<string> {
    const response = await this.request('GET', `${collection('pod', namespace)}/${encodeURIComponent(name)}/log`, {
      query: { tailLines: String(options.tailLines), container: options.container },
    });
    return response.text;
  }

  async listEvents(namespace: string, fieldSelector: string): Promise<CoreV1Event[]> {
    return (await this.json<{ items: CoreV1Event[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { query: { fieldSelector } })).items;
  }

  /** One collection of every namespace, streamed as the watch API sends it (JSON lines), until stop() or the server ends it. */
  async watch(collection: WatchedCollection, onChange: (change: WatchChange) => void, onEnd: (error?: unknown) => void): Promise<{ stop(): void }> {
    const { url, credentials } = await this.target(collection === 'pods' ? '/api/v1/pods' : '/api/v1/events', { watch: '1', allowWatchBookmarks: 'false' });
    let stopped = false;
    const req = await new Promise<ClientRequest>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      // Its own connection, no timeout: a watch is quiet for as long as nothing changes.
      const request = send(url, { method: 'GET', headers: this.headers(credentials), ...tlsOptions(credentials) }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          reject(new KubeApiError(`failed to watch ${collection} at ${credentials.server}: ${res.statusCode}`, res.statusCode, undefined));
          res.resume();
          return;
        }
        resolve(request);
        const lines = lineSplitter((line) => {
          if (stopped || !line.trim()) return;
          let event: { type: string; object: unknown };
          try {
            event = JSON.parse(line) as typeof event;
          } catch (error) {
            stopped = true;
            request.destroy();
            onEnd(new KubeApiError(`failed to read the ${collection} watch: not a JSON line`, undefined, undefined, { cause: error }));
            return;
          }
          if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED')
            onChange({ type: event.type, collection, object: event.object } as WatchChange);
          else if (event.type === 'ERROR')
            onEnd(new KubeApiError(`the ${collection} watch failed: ${(event.object as { message?: string }).message ?? 'ERROR'}`, undefined, undefined));
        });
        res.on('data', (chunk: Buffer) => lines.push(chunk));
        res.on('end', () => !stopped && onEnd());
        res.on('error', (error) => !stopped && onEnd(error));
      });
      request.on('error', (error) =>
        stopped
          ? undefined
          : reject(new KubeApiError(`failed to watch ${collection} at ${credentials.server}: ${error.message}`, undefined, undefined, { cause: error })),
      );
      request.end();
    });
    return {
      stop() {
        stopped = true;
        req.destroy();
      },
    };
  }

  async execInPod(namespace: string, pod: string, container: string, argv: readonly string[], options: ExecInPodOptions = {}): Promise<NodeExecResult> {
    const { stdin, ...execOptions } = options;
    const { url, credentials } = await this.target(`${collection('pod', namespace)}/${encodeURIComponent(pod)}/exec`, {
      container,
      ...(stdin ? { stdin: 'true' } : {}),
      stdout: 'true',
      stderr: 'true',
    });
    // One `command` parameter per word, as kubectl sends them: the argv reaches the container as is.
    for (const word of argv) url.searchParams.append('command', word);
    const { execOverWebSocket } = await import('./exec-over-websocket.js');
    return execOverWebSocket(
      {
        url,
        // Only the credentials: the API refuses an upgrade that asks for JSON (406 Not Acceptable).
        headers: credentials.authorization ? { Authorization: credentials.authorization } : {},
        tls: tlsOptions(credentials),
        shown: formatCommand('kubectl', ['exec', ...(stdin ? ['-i'] : []), '-n', namespace, pod, '-c', container, '--', ...argv]),
        ...(stdin ? { stdin } : {}),
      },
      execOptions,
    );
  }

  private async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    return JSON.parse(response.text) as T;
  }

  private async request(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; text: string }> {
    const { url, credentials } = await this.target(path, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const what = `${method} ${url.pathname}${url.search}`;
    const https = url.protocol === 'https:';
    this.agent ??= https ? new HttpsAgent({ keepAlive: true, ...tlsOptions(credentials) }) : new HttpAgent({ keepAlive: true });
    const headers = this.headers(credentials);
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    // A read that gets no answer soon is sent again on a new connection: behind a load balancer that
    // is another API server, where one whose etcd has just gone (a fault, a stopping control plane)
    // holds the request until the end (30 s) while the balancer still sends it a share of connections.
    const attempts = method === 'GET' ? this.readAttemptTimeoutsMs : [REQUEST_TIMEOUT_MS];
    let response = { status: 0, text: '' };
    for (const [index, timeoutMs] of attempts.entries()) {
      try {
        // A retry on an agent of its own: the shared one could hand it a kept-alive socket to the same server.
        const agent = index === 0 ? this.agent : https ? new HttpsAgent(tlsOptions(credentials)) : new HttpAgent();
        response = await this.send(url, { method, headers, agent, https, timeoutMs }, body);
        break;
      } catch (error) {
        const last = index === attempts.length - 1;
        if (!last && error instanceof NoAnswerError) continue;
        const message =
          error instanceof NoAnswerError && attempts.length > 1
            ? `no answer in ${attempts.map((t) => t / 1000).join(' + ')} s (${attempts.length} connections)`
            : (error as Error).message;
        throw new KubeApiError(`failed to ${what} at ${credentials.server}: ${message}`, undefined, undefined, { cause: error });
      }
    }
    if (response.status >= 200 && response.status < 300) return response;
    const status = parseStatus(response.text);
    throw new KubeApiError(
      `failed to ${what} at ${credentials.server}: ${response.status} ${status?.reason ?? ''}${status?.message ? `: ${status.message}` : ''}`.replace(
        / +:/,
        ':',
      ),
      response.status,
      status?.reason,
    );
  }

  /** One request; a socket that stays silent for timeoutMs is closed (NoAnswerError), so a retry opens a new one. */
  private send(
    url: URL,
    options: { method: string; headers: Record<string, string>; agent: HttpAgent; https: boolean; timeoutMs: number },
    body: string | undefined,
  ): Promise<{ status: number; text: string }> {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const send = options.https ? httpsRequest : httpRequest;
      const req = send(url, { method: options.method, headers: options.headers, agent: options.agent, timeout: options.timeoutMs }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new NoAnswerError(options.timeoutMs)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The URL of a path on the current context's server, with the query set, and the credentials to go there with. */
  private async target(path: string, query: Record<string, string | undefined> = {}): Promise<{ url: URL; credentials: KubeCredentials }> {
    const credentials = await (this.credentials ??= kubeconfigCredentials(this.kubeconfigText, new ChildProcessCommandRunner()));
    const url = new URL(credentials.server + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    return { url, credentials };
  }

  private headers(credentials: KubeCredentials): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials.authorization) headers.Authorization = credentials.authorization;
    return headers;
  }

  /** Lets the process exit at once: kept-alive sockets would hold it for their idle timeout. */
  close(): void {
    this.agent?.destroy();
  }
}

/** Whom to trust and who we are on a TLS connection to the server. */
function tlsOptions(credentials: KubeCredentials) {
  return {
    ca: credentials.ca,
    cert: credentials.clientCert,
    key: credentials.clientKey,
    rejectUnauthorized: !credentials.insecureSkipTlsVerify,
    servername: credentials.tlsServerName,
  };
}

interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
}

function collection(kind: ObjectKind, namespace: string | undefined): string {
  const { group, plural } = RESOURCES[kind];
  // No namespace lists every namespace, as `kubectl get -A` does.
  return namespace === undefined ? `${group}/${plural}` : `${group}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

/** The API's Status object of a failed request, when the body is one. */
function parseStatus(text: string): { reason?: string; message?: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { kind?: string; reason?: string; message?: string };
    return parsed.kind === 'Status' ? parsed : undefined;
  } catch {
    return text.trim() ? { message: text.trim().slice(0, 300) } : undefined;
  }
}

/** Connects with the kubeconfig's current context. */
export const connectHttpsKubeApi: KubeClientFactory = (kubeconfigText) => new HttpsKubeApi(kubeconfigText);
