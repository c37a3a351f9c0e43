export interface EtcdEndpointHealth {
  endpoint: string;
  health: boolean;
  error?: string;
}

export interface EtcdMember {
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

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

export interface EtcdKeyValue {
  key: string;
  value: Buffer;
  createRevision?: number;
  modRevision?: number;
  version?: number;
}

/** `etcdctl get <key> -w json`: the first key-value (keys and values come base64-encoded), undefined when the key is absent. */
export function parseGetResponse(stdout: string): EtcdKeyValue | undefined {
  const doc = JSON.parse(stdout) as { kvs?: Array<{ key: string; value?: string; create_revision?: number; mod_revision?: number; version?: number }> };
  const kv = doc.kvs?.[0];
  if (!kv) return undefined;
  return {
    key: Buffer.from(kv.key, 'base64').toString('utf8'),
    value: Buffer.from(kv.value ?? '', 'base64'),
    ...(kv.create_revision !== undefined ? { createRevision: kv.create_revision } : {}),
    ...(kv.mod_revision !== undefined ? { modRevision: kv.mod_revision } : {}),
    ...(kv.version !== undefined ? { version: kv.version } : {}),
  };
}
