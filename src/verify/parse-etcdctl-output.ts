import type { EtcdEndpointHealth, EtcdMember } from './cluster-evidence.js';

/** `etcdctl endpoint health -w json`: prints the JSON array even when an endpoint is unhealthy (exit 1). */
export function parseEndpointHealth(stdout: string): EtcdEndpointHealth[] {
  const start = stdout.indexOf('[');
  if (start < 0) throw new Error(`no JSON array in etcdctl output: ${stdout.slice(0, 200)}`);
  const entries = JSON.parse(stdout.slice(start, stdout.lastIndexOf(']') + 1)) as Array<Record<string, unknown>>;
  return entries.map((entry) => ({
    endpoint: String(entry.endpoint ?? ''),
    health: entry.health === true,
    ...(entry.error ? { error: String(entry.error) } : {}),
  }));
}

/** `etcdctl member list -w json`: ids are uint64, printed in hex like `etcdctl member list` does. */
export function parseMemberList(stdout: string): EtcdMember[] {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`no JSON object in etcdctl output: ${stdout.slice(0, 200)}`);
  const text = stdout.slice(start);
  // JSON.parse would round 64-bit ids; quote them first.
  const doc = JSON.parse(text.replace(/"ID":(\d+)/g, '"ID":"$1"')) as { members?: Array<Record<string, unknown>> };
  return (doc.members ?? []).map((member) => ({
    id: BigInt(String(member.ID ?? '0')).toString(16),
    name: String(member.name ?? ''),
    peerURLs: (member.peerURLs as string[] | undefined) ?? [],
    clientURLs: (member.clientURLs as string[] | undefined) ?? [],
    isLearner: member.isLearner === true,
  }));
}
