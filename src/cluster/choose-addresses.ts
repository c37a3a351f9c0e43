import { randomInt } from 'node:crypto';
import { KindlabError } from '../common/kindlab-error.js';
import { KIND_NETWORK } from './ensure-kind-network.js';

/*
 * Why a lab's containers get fixed addresses.
 *
 * Docker gives a container a new address from the network's pool each time it starts, lowest free
 * first: on this host (Docker 20.10.24) a container stopped at 172.18.0.7 lost it, and the next
 * container started on the network got 172.18.0.7 at once. An HA lab's etcd members know each
 * other by address (kind#1689), so a lab that comes back on other addresses loses quorum.
 * A container created with `--ip` (or pinned with `docker network connect --ip` while stopped)
 * is always started on that address; a start fails ("Address already in use") if someone else
 * holds it. So kindlab picks each lab's addresses at random from the UPPER half of the kind
 * network's subnet, which Docker's lowest-free allocation reaches only when the lower half is full,
 * and never one that a container on the network holds or is pinned to.
 */

/** `count` free addresses from the upper half of `subnet` (a.b.c.d/p), none in `taken`. */
export function chooseAddresses(subnet: string, taken: Iterable<string>, count: number, random: (max: number) => number = randomInt): string[] {
  const [base, size] = parseSubnet(subnet);
  const low = base + size / 2;
  const high = base + size - 2; // the last address is the broadcast address
  const used = new Set(taken);
  const free = high - low + 1 - [...used].filter((a) => toNumber(a) >= low && toNumber(a) <= high).length;
  if (free < count) {
    throw new KindlabError(
      `failed to choose ${count} addresses on docker network ${KIND_NETWORK}: only ${Math.max(free, 0)} free in the upper half of ${subnet}`,
      {
        hint: 'remove labs you no longer need (`lab down`), or give the kind network a larger subnet',
      },
    );
  }
  const chosen: string[] = [];
  while (chosen.length < count) {
    const address = toAddress(low + random(high - low + 1));
    if (used.has(address)) continue;
    used.add(address);
    chosen.push(address);
  }
  return chosen;
}

function parseSubnet(subnet: string): [number, number] {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(subnet);
  const prefix = Number(match?.[2]);
  if (!match || prefix < 8 || prefix > 29)
    throw new KindlabError(`failed to use subnet ${JSON.stringify(subnet)} of docker network ${KIND_NETWORK}: not an IPv4 /8../29`);
  const size = 2 ** (32 - prefix);
  return [toNumber(match[1] as string) - (toNumber(match[1] as string) % size), size];
}

function toNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
