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

/**
 * One TCP socket per line of `ss -H -t -n -p`, with every process holding it (a socket shared
 * after fork lists several). With a state filter (`ss -Htnp state established`) ss leaves the
 * State column out; the line then starts with the two queue sizes and `filteredState` names it.
 */
export function parseSsOutput(text: string, filteredState = 'ESTAB'): SocketRecord[] {
  const records: SocketRecord[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const withoutState = /^\d+$/.test(words[0] ?? '') && /^\d+$/.test(words[1] ?? '');
    const addressAt = withoutState ? 2 : 3;
    const local = words[addressAt];
    const peer = words[addressAt + 1];
    if (!local || !peer) continue;
    const state = withoutState ? filteredState : words[0]!;
    const rest = words.slice(addressAt + 2).join(' ');
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
  host = host
    .replace(/^\[|\]$/g, '')
    .replace(/^::ffff:/, '')
    .replace(/%.*$/, '');
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
  return [...new Set(sockets.filter((s) => s.state === 'LISTEN' && s.pids.includes(pid)).map((s) => s.local.port))].sort((a, b) => Number(a) - Number(b));
}

/** Sockets one of whose processes has the name (comm) `name`. */
export function socketsOf(sockets: readonly SocketRecord[], name: string): SocketRecord[] {
  return sockets.filter((s) => s.users.some((u) => u.name === name));
}

/** Pids whose process name (comm) is `name`. */
export function pidsNamed(sockets: readonly SocketRecord[], name: string): number[] {
  return [...new Set(sockets.flatMap((s) => s.users.filter((u) => u.name === name).map((u) => u.pid)))];
}
