import type { TcpConnection } from './cluster-evidence.js';

/**
 * Parses `ss -Htnp state established`: with a state filter ss leaves the State column out, so a
 * line is `Recv-Q Send-Q Local:Port Peer:Port users:(("kubelet",pid=572,fd=16))`.
 */
export function parseSsOutput(output: string): TcpConnection[] {
  const connections: TcpConnection[] = [];
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const addressAt = /^\d+$/.test(fields[0]!) && /^\d+$/.test(fields[1]!) ? 2 : 3;
    const local = fields[addressAt];
    const peer = fields[addressAt + 1];
    if (!local || !peer) continue;
    const users = fields.slice(addressAt + 2).join(' ');
    const user = /\("([^"]+)",pid=(\d+)/.exec(users);
    connections.push({
      local: normalizeAddress(local),
      peer: normalizeAddress(peer),
      process: user?.[1] ?? '',
      ...(user ? { pid: Number(user[2]) } : {}),
    });
  }
  return connections;
}

/** `[::ffff:172.18.0.3]:6443` -> `172.18.0.3:6443`, so IPv4-mapped peers compare equal. */
function normalizeAddress(address: string): string {
  const mapped = /^\[::ffff:([\d.]+)\]:(\d+)$/.exec(address);
  return mapped ? `${mapped[1]}:${mapped[2]}` : address;
}
