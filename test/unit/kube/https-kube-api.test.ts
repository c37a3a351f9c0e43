import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpsKubeApi, KubeApiError } from '../../../src/kube/https-kube-api.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  authorization?: string;
}

/** A stand-in API server: records each request and answers from the handler. */
async function apiServer(
  answer: (seen: Seen) => { status?: number; body: unknown },
  tls?: { key: Buffer; cert: Buffer; ca: Buffer },
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), authorization: req.headers.authorization };
      seen.push(request);
      const { status = 200, body } = answer(request);
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  };
  const server = tls ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
const clients: HttpsKubeApi[] = [];
afterEach(() => {
  clients.splice(0).forEach((client) => client.close());
  servers.splice(0).forEach((server) => server.close());
});

function kubeconfig(server: string, user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'lab',
    contexts: [{ name: 'lab', context: { cluster: 'c', user: 'u' } }],
    clusters: [{ name: 'c', cluster: { server, ...cluster } }],
    users: [{ name: 'u', user }],
  });
}

function client(text: string, readAttemptTimeoutsMs?: number[]): HttpsKubeApi {
  const api = new HttpsKubeApi(text, readAttemptTimeoutsMs);
  clients.push(api);
  return api;
}

describe('HttpsKubeApi', () => {
  it('asks the paths kubectl asks, with the token and the selectors as query parameters', async () => {
    const api = await apiServer(({ url }) => (url === '/version' ? { body: { gitVersion: 'v1.34.4' } } : { body: { items: [{ metadata: { name: 'x' } }] } }));
    const kube = client(kubeconfig(api.url, { token: 'secret-token' }));
    expect(kube.server).toBe(api.url);
    expect(await kube.gitVersion()).toBe('v1.34.4');
    await kube.listNodes();
    await kube.list('pod', 'kube-system', 'tier=control-plane');
    await kube.list('deployment');
    await kube.listEvents('default', 'involvedObject.name=web');
    expect(api.seen.map((s) => `${s.method} ${decodeURIComponent(s.url)}`)).toEqual([
      'GET /version',
      'GET /api/v1/nodes',
      'GET /api/v1/namespaces/kube-system/pods?labelSelector=tier=control-plane',
      'GET /apis/apps/v1/deployments',
      'GET /api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web',
    ]);
    expect(new Set(api.seen.map((s) => s.authorization))).toEqual(new Set(['Bearer secret-token']));
  });

  it('creates in the namespace given, deletes pods at once and owners in the background', async () => {
    const api = await apiServer(({ method, body }) => ({ status: method === 'POST' ? 201 : 200, body: method === 'POST' ? JSON.parse(body) : {} }));
    const kube = client(kubeconfig(api.url, {}));
    const created = await kube.create('configmap', 'demo', { metadata: { name: 'cm' }, data: { a: '1' } });
    expect(created.metadata).toEqual({ name: 'cm', namespace: 'demo' });
    await kube.deleteLabelled('pod', 'demo', 'dev.kindlab.run=r1');
    await kube.deleteLabelled('deployment', 'demo', 'dev.kindlab.run=r1');
    await kube.deletePod('demo', 'web-1');
    expect(api.seen.map((s) => `${s.method} ${decodeURIComponent(s.url)}`)).toEqual([
      'POST /api/v1/namespaces/demo/configmaps',
      'DELETE /api/v1/namespaces/demo/pods?labelSelector=dev.kindlab.run=r1&gracePeriodSeconds=0',
      'DELETE /apis/apps/v1/namespaces/demo/deployments?labelSelector=dev.kindlab.run=r1&propagationPolicy=Background',
      'DELETE /api/v1/namespaces/demo/pods/web-1',
    ]);
  });

  it('sends a read that gets no answer again on a new connection, and gives up after its tries naming them', async () => {
    // The first connection is held without an answer, as an API server whose etcd has just gone holds it.
    const connections: number[] = [];
    const api = await apiServer(() => ({ body: { items: [] } }));
    const listeners = api.server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    api.server.removeAllListeners('request');
    api.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const port = req.socket.remotePort!;
      if (!connections.includes(port)) connections.push(port);
      if (connections.indexOf(port) === 0) return;
      for (const listener of listeners) listener(req, res);
    });
    const kube = client(kubeconfig(api.url, {}), [200, 200, 1000]);
    expect(await kube.listNodes()).toEqual([]);
    expect(connections).toHaveLength(2);

    const silent = await apiServer(() => ({ body: {} }));
    silent.server.removeAllListeners('request');
    silent.server.on('request', () => undefined);
    const started = Date.now();
    await expect(client(kubeconfig(silent.url, {}), [100, 100, 200]).listNodes()).rejects.toThrow(
      `failed to GET /api/v1/nodes at ${silent.url}: no answer in 0.1 + 0.1 + 0.2 s (3 connections)`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends a write once: a write that gets no answer is not sent again on another connection', async () => {
    let posts = 0;
    const silent = await apiServer(() => ({ body: {} }));
    silent.server.removeAllListeners('request');
    silent.server.on('request', () => posts++);
    const kube = client(kubeconfig(silent.url, {}), [100, 100, 200]);
    // A write waits REQUEST_TIMEOUT_MS (30 s): the test ends it by closing the server's connections.
    setTimeout(() => (silent.server as Server & { closeAllConnections(): void }).closeAllConnections(), 300);
    await expect(kube.create('configmap', 'demo', { metadata: { name: 'cm' } })).rejects.toThrow(/failed to POST \/api\/v1\/namespaces\/demo\/configmaps/);
    expect(posts).toBe(1);
  });

  it("reads a pod's log as text", async () => {
    const api = await apiServer(() => ({ body: 'line 1\nline 2\n' }));
    expect(await client(kubeconfig(api.url, {})).podLog('kube-system', 'etcd-x', { tailLines: 5, container: 'etcd' })).toBe('line 1\nline 2\n');
    expect(decodeURIComponent(api.seen[0]!.url)).toBe('/api/v1/namespaces/kube-system/pods/etcd-x/log?tailLines=5&container=etcd');
  });

  it("fails with the API's status and reason, naming the request and the server", async () => {
    // The Status body as kube-apiserver v1.34.4 returns it for a missing pod (kubectl get pod nope -v=8).
    const notFound = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    };
    const api = await apiServer(() => ({ status: 404, body: notFound }));
    const error = await client(kubeconfig(api.url, {}))
      .read('pod', 'default', 'nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ statusCode: 404, reason: 'NotFound' });
    expect((error as Error).message).toBe(`failed to GET /api/v1/namespaces/default/pods/nope at ${api.url}: 404 NotFound: pods "nope" not found`);
  });

  it('names the server when nothing answers there', async () => {
    const api = await apiServer(() => ({ body: {} }));
    await new Promise((resolve) => api.server.close(resolve));
    await expect(client(kubeconfig(api.url, {})).listNodes()).rejects.toThrow(new RegExp(`^failed to GET /api/v1/nodes at ${api.url}: .*ECONNREFUSED`));
  });

  it('authenticates with the client certificate kind writes, and trusts only the cluster CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindlab-kube-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=kubernetes');
    for (const [name, subject, ext] of [
      ['server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1'],
      ['client', '/O=kubeadm:cluster-admins/CN=kubernetes-admin', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
      writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      );
    }
    const read = (name: string) => readFileSync(join(dir, name));
    const b64 = (name: string) => read(name).toString('base64');
    const api = await apiServer(() => ({ body: { items: [] } }), { key: read('server.key'), cert: read('server.crt'), ca: read('ca.crt') });
    const kube = client(
      kubeconfig(
        api.url,
        { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') },
        { 'certificate-authority-data': b64('ca.crt') },
      ),
    );
    expect(await kube.listNodes()).toEqual([]);
    // Without the CA in the kubeconfig, the server's certificate is not trusted.
    const untrusted = client(kubeconfig(api.url, { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') }));
    await expect(untrusted.listNodes()).rejects.toThrow(
      /failed to GET \/api\/v1\/nodes at https:\/\/127\.0\.0\.1:\d+: .*(self.signed|unable to verify|certificate)/i,
    );
  });
});
