import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickPauseImage } from '../../../src/labs/find-pod-image.js';
import { formatHostPort, listeningPorts, outboundConnections, parseSsOutput, pidsNamed, socketsOf } from '../../../src/inspect/parse-ss-output.js';

/** Recorded from a real `lab up multi` cluster; the first line of each file says how. */
function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '../../fixtures/labs/multi', name), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('# recorded with:'))
    .join('\n');
}

describe('parseSsOutput on ss -Htanp from real nodes', () => {
  const worker = parseSsOutput(fixture('worker-ss.txt'));
  const controlPlane = parseSsOutput(fixture('control-plane-ss.txt'));

  it('reads state, both ends (IPv4-mapped IPv6 unwrapped) and the processes', () => {
    expect(worker).toHaveLength(11);
    expect(worker.find((s) => s.local.port === '10250' && s.state === 'ESTAB')).toMatchObject({
      local: { host: '172.18.0.4', port: '10250' },
      peer: { host: '172.18.0.2', port: '36608' },
      users: [{ name: 'kubelet', pid: 217 }],
    });
    // A socket without a process (Docker's embedded DNS) is kept, with no pids.
    expect(worker.find((s) => s.local.host === '127.0.0.11')?.pids).toEqual([]);
  });

  it("keeps only the connections a process opened: the kubelet's to 6443, not the api-server's call into :10250", () => {
    const [kubelet] = pidsNamed(worker, 'kubelet');
    expect(listeningPorts(worker, kubelet!)).toEqual(['10248', '10250']);
    const outbound = outboundConnections(worker, kubelet!);
    expect(outbound.map((s) => `${s.peer.host}:${s.peer.port}`)).toEqual(['172.18.0.2:6443', '172.18.0.2:6443']);
  });

  it('finds the scheduler and the controller-manager (comm cut to 15 characters) talking only to 6443', () => {
    for (const name of ['kube-scheduler', 'kube-controller']) {
      const pids = pidsNamed(controlPlane, name);
      expect(pids, name).toHaveLength(1);
      const peers = new Set(outboundConnections(controlPlane, pids[0]!).map((s) => s.peer.port));
      expect([...peers], name).toEqual(['6443']);
    }
    const [apiServer] = pidsNamed(controlPlane, 'kube-apiserver');
    const toEtcd = outboundConnections(controlPlane, apiServer!).filter((s) => s.peer.port === '2379');
    expect(toEtcd.length).toBeGreaterThan(10);
  });
});

describe('parseSsOutput on ss -Htnp state established (verify)', () => {
  // test/fixtures/verify/README.md: `docker exec verify-multi-worker ss -Htnp state established`.
  const sockets = parseSsOutput(readFileSync(join(import.meta.dirname, '../../fixtures/verify/raw/multi-worker-ss.txt'), 'utf8'), 'ESTAB');

  it('reads lines without the State column (ss leaves it out under a state filter) as that state', () => {
    expect(sockets).toHaveLength(4);
    expect(sockets.every((s) => s.state === 'ESTAB')).toBe(true);
    expect(sockets[0]).toEqual({
      state: 'ESTAB',
      local: { host: '172.18.0.10', port: '45894' },
      peer: { host: '172.18.0.14', port: '6443' },
      pids: [172],
      users: [{ name: 'kubelet', pid: 172 }],
    });
  });

  it("unwraps IPv4-mapped addresses, so peers compare with the nodes' IPv4 addresses", () => {
    expect(sockets[3]).toMatchObject({ local: { host: '172.18.0.10', port: '10250' }, peer: { host: '172.18.0.14', port: '56666' } });
    expect(formatHostPort(sockets[3]!.peer)).toBe('172.18.0.14:56666');
  });

  it('finds the sockets of a process by name', () => {
    expect(socketsOf(sockets, 'kubelet').map((s) => s.local.port)).toEqual(['45894', '10250']);
  });
});

describe('parseSsOutput keeps every process of a shared socket', () => {
  // Recorded on a real single lab: bash opens fd 3 to the kubelet's healthz port, then forks sleep and ss, which inherit it.
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/labs/single/control-plane-ss-shared-socket.txt'), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('# recorded with:'))
    .join('\n');
  const sockets = parseSsOutput(text);

  it('lists all three holders of the socket, in ss order', () => {
    const shared = sockets.find((s) => s.users.length > 1)!;
    expect(shared.state).toBe('ESTAB');
    expect(shared.peer).toEqual({ host: '127.0.0.1', port: '10248' });
    expect(shared.users.map((u) => u.name)).toEqual(['ss', 'sleep', 'bash']);
    expect(shared.pids).toHaveLength(3);
  });

  it('so the socket counts for each of them, not only for the first', () => {
    for (const name of ['ss', 'sleep', 'bash'])
      expect(
        socketsOf(sockets, name).map((s) => s.peer.port),
        name,
      ).toEqual(['10248']);
    const [bash] = pidsNamed(sockets, 'bash');
    expect(outboundConnections(sockets, bash!).map((s) => formatHostPort(s.peer))).toEqual(['127.0.0.1:10248']);
  });
});

describe('pickPauseImage', () => {
  it("picks the node's pause image from crictl images -o json", () => {
    expect(pickPauseImage(fixture('worker-crictl-images.json'), 'w')).toBe('registry.k8s.io/pause:3.10.1');
  });

  it('says which node has none', () => {
    expect(() => pickPauseImage('{"images":[]}', 'demo-worker')).toThrow('failed to find a pause image in node demo-worker');
  });
});
