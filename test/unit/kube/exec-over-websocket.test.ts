import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { execOverWebSocket } from '../../../src/kube/exec-over-websocket.js';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/**
 * A stand-in for the API's exec endpoint as Kubernetes 1.34 speaks it: the client picks the channel
 * protocol; v5 ends stdin with a close message (255, channel 0). It answers the bytes it got on stdin.
 */
async function execServer(): Promise<{ url: URL; protocols: string[] }> {
  const protocols: string[] = [];
  const server = createServer();
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => [...offered][0] ?? false });
  wss.on('connection', (socket, request) => {
    protocols.push(socket.protocol);
    const stdin: Buffer[] = [];
    const wantsStdin = new URL(request.url ?? '/', 'http://x').searchParams.get('stdin') === 'true';
    const answer = () => {
      const got = Buffer.concat(stdin);
      socket.send(Buffer.concat([Buffer.from([1]), Buffer.from(`${got.length} ${got.subarray(0, 5).toString()}`)]));
      socket.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ status: 'Success' }))]));
      socket.close();
    };
    socket.on('message', (data: Buffer) => {
      if (data[0] === 0) stdin.push(data.subarray(1));
      else if (data[0] === 255 && data[1] === 0) answer();
    });
    if (!wantsStdin) answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/default/pods/p/exec`), protocols };
}

describe('execOverWebSocket', () => {
  it('streams stdin in pieces over v5 and closes it, so `docker load` sees the end of its input', async () => {
    const { url, protocols } = await execServer();
    url.searchParams.set('stdin', 'true');
    // 10 MiB in 1 MiB pieces: more than the socket's backlog limit, so the sender has to wait for it.
    const piece = Buffer.alloc(1 << 20, 'a');
    piece.write('START');
    const stdin = Readable.from([piece, ...Array.from({ length: 9 }, () => Buffer.alloc(1 << 20, 'b'))]);
    const result = await execOverWebSocket({ url, headers: {}, tls: { rejectUnauthorized: false }, shown: 'kubectl exec -i p -- docker load', stdin });
    expect(result).toEqual({ exitCode: 0, stdout: `${10 << 20} START`, stderr: '' });
    expect(protocols).toEqual(['v5.channel.k8s.io']);
  });

  it('speaks v4 when there is no stdin', async () => {
    const { url, protocols } = await execServer();
    const result = await execOverWebSocket({ url, headers: {}, tls: { rejectUnauthorized: false }, shown: 'kubectl exec p -- true' });
    expect(result.stdout).toBe('0 ');
    expect(protocols).toEqual(['v4.channel.k8s.io']);
  });
});
