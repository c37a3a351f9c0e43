/** `ss -Htanp`: every TCP socket of the node's network namespace with the processes holding it. */
export const SOCKETS_ARGV = ['ss', '-H', '-t', '-a', '-n', '-p'] as const;

export interface SocketRecord {
  state: string;
  local: HostPort;
  peer: HostPort;
  pids: number[];
  /** Process names as ss prints them (the kernel's comm: at most 15 characters). */
  users: Array<{ name: string; pid: number }>;
}

export interface HostPort {
  host: string;
  port: string;
}

export function parseSocketTable(text: string): SocketRecord[] {
  const records: SocketRecord[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words.length < 5) continue;
    const [state, , , local, peer] = words as [string, string, string, string, string];
    const rest = words.slice(5).join(' ');
    const users = [...rest.matchAll(/\("([^"]*)",pid=(\d+)/g)].map((m) => ({ name: m[1] ?? '', pid: Number(m[2]) }));
    const pids = [...new Set(users.map((u) => u.pid))];
    records.push({ state, local: splitHostPort(local), peer: splitHostPort(peer), pids, users });
  }
  return records;
}

export function splitHostPort(value: string): HostPort {
  const index = value.lastIndexOf(':');
  let host = index < 0 ? value : value.slice(0, index);
  const port = index < 0 ? '' : value.slice(index + 1);
  host = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '').replace(/%.*$/, '');
  return { host, port };
}

export function formatHostPort(value: HostPort): string {
  return value.host.includes(':') ? `[${value.host}]:${value.port}` : `${value.host}:${value.port}`;
}

/**
 * Established sockets a process opened itself: those whose local port is not one it listens on.
 * Connections the process accepted (kubelet probing the scheduler's health port, say) are left out.
 */
export function outboundConnections(sockets: readonly SocketRecord[], pid: number): SocketRecord[] {
  const listening = new Set(sockets.filter((s) => s.state === 'LISTEN' && s.pids.includes(pid)).map((s) => s.local.port));
  return sockets.filter((s) => s.state === 'ESTAB' && s.pids.includes(pid) && !listening.has(s.local.port));
}

export function listeningPorts(sockets: readonly SocketRecord[], pid: number): string[] {
  return [...new Set(sockets.filter((s) => s.state === 'LISTEN' && s.pids.includes(pid)).map((s) => s.local.port))].sort(
    (a, b) => Number(a) - Number(b),
  );
}

/** Pids whose process name (comm) is `name`. */
export function pidsNamed(sockets: readonly SocketRecord[], name: string): number[] {
  return [...new Set(sockets.flatMap((s) => s.users.filter((u) => u.name === name).map((u) => u.pid)))];
}
