import { createHash, randomBytes } from 'node:crypto';
import { KindlabError } from '../common/kindlab-error.js';
import { IPV4_SUBNET_LABEL, LAB_COMPONENT_LABEL, LAB_RUN_LABEL, SUBNET_PROBE_COMPONENT } from '../common/labels.js';
import type { DockerCli } from '../docker/docker-cli.js';

export const KIND_NETWORK = 'kind';

/**
 * Creates the `kind` network exactly as kind v0.30.0 would (pkg/cluster/internal/providers/docker/
 * network.go), because the external etcd must join it BEFORE kind runs and kind then reuses it
 * as-is: bridge, IP masquerade, the default bridge's MTU, and an IPv6 ULA subnet derived from the
 * name, falling back to IPv4 only where the daemon cannot do IPv6.
 */
export async function ensureKindNetwork(docker: DockerCli, options: { runId?: string; name?: string } = {}): Promise<'existed' | 'created'> {
  const name = options.name ?? KIND_NETWORK;
  if (await docker.networkExists(name)) return 'existed';
  const mtu = await docker.defaultBridgeMtu();
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const ipv4 = await freeIpv4Subnet(docker, options.runId);
    const result = await docker.createNetwork(kindNetworkArgs(name, mtu, ulaSubnetFromName(name, attempt), ipv4));
    if (result.exitCode === 0) return 'created';
    lastError = result.stderr.trim();
    if (isAlreadyExists(lastError) || (await docker.networkExists(name))) return 'existed';
    if (isIPv6Unavailable(lastError)) {
      const v4 = await docker.createNetwork(kindNetworkArgs(name, mtu, undefined, ipv4));
      if (v4.exitCode === 0 || (await docker.networkExists(name))) return 'created';
      lastError = v4.stderr.trim();
      break;
    }
    if (!isPoolOverlap(lastError)) break;
  }
  throw new KindlabError(`failed to create docker network ${name}: ${lastError}`);
}

/**
 * kind's arguments, plus an IPv4 subnet given explicitly when kindlab knows one: Docker accepts
 * `--ip` (choose-addresses.ts: kindlab pins every lab container) only on a network whose IPv4 subnet
 * was given at creation ("user specified IP address is supported only when connecting to networks
 * with user configured subnets", on a fresh Docker 20.10.24 daemon). A network made otherwise
 * (by kind, or before kindlab did this) is asked (network-takes-ip.ts), never recreated.
 */
export function kindNetworkArgs(name: string, mtu: number | undefined, ipv6Subnet: string | undefined, ipv4Subnet?: string): string[] {
  const args = ['-d=bridge', '-o', 'com.docker.network.bridge.enable_ip_masquerade=true'];
  if (mtu) args.push('-o', `com.docker.network.driver.mtu=${mtu}`);
  if (ipv4Subnet) args.push('--subnet', ipv4Subnet, '--label', `${IPV4_SUBNET_LABEL}=given`);
  if (ipv6Subnet) args.push('--ipv6', '--subnet', ipv6Subnet);
  args.push(name);
  return args;
}

/**
 * The IPv4 subnet Docker would give a new network now (from its address pools, avoiding the
 * host's routes): a throwaway network is created, read and removed. undefined if that fails. It
 * carries the run id, so a run killed before the removal leaves nothing its cleanup cannot find.
 */
async function freeIpv4Subnet(docker: DockerCli, runId: string | undefined): Promise<string | undefined> {
  const probe = `kindlab-subnet-probe-${randomBytes(4).toString('hex')}`;
  const labels = { [LAB_COMPONENT_LABEL]: SUBNET_PROBE_COMPONENT, ...(runId ? { [LAB_RUN_LABEL]: runId } : {}) };
  const created = await docker.createNetwork([...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]), probe]);
  if (created.exitCode !== 0) return undefined;
  try {
    return (await docker.networkAddresses(probe)).subnet;
  } catch {
    return undefined;
  } finally {
    await docker.removeNetworks([probe]);
  }
}

/** kind's generateULASubnetFromName: fc00: + bytes 2..7 of sha1(name + attempt as little-endian int32), /64. */
export function ulaSubnetFromName(name: string, attempt: number): string {
  const attemptBytes = Buffer.alloc(4);
  attemptBytes.writeInt32LE(attempt);
  const digest = createHash('sha1').update(name).update(attemptBytes).digest();
  const bytes = [0xfc, 0x00, ...digest.subarray(2, 8)];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  // Same text as Go's net.IPNet.String(): the four zero groups of the host part compress to "::".
  return `${groups.join(':')}::/64`;
}

function isIPv6Unavailable(stderr: string): boolean {
  return stderr.includes('Cannot read IPv6 setup for bridge') || stderr.includes('Unable to enable NAT rule:  (iptables failed: ip6tables');
}

function isPoolOverlap(stderr: string): boolean {
  return stderr.includes('Pool overlaps with other one on this address space') || stderr.includes('networks have overlapping');
}

function isAlreadyExists(stderr: string): boolean {
  return /network with name .* already exists/.test(stderr);
}
