import type { DockerCli } from '../docker/docker-cli.js';
import { chooseAddresses } from './choose-addresses.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { networkTakesIp } from './network-takes-ip.js';

/** What `lab up` pins: container name -> IPv4 (empty when the network refuses `--ip`, with Docker's refusal). */
export interface LabAddresses {
  addresses: Record<string, string>;
  refusal?: string;
}

/**
 * One address per container name, chosen against what the kind network holds now (choose-addresses.ts
 * says why and where), once Docker has shown that the network takes `--ip` (network-takes-ip.ts,
 * tried with `image`, the lab's node image). Where it does not, none: the lab is created as plain
 * kind would create it, and the refusal says why.
 */
export async function chooseLabAddresses(docker: DockerCli, names: readonly string[], image: string): Promise<LabAddresses> {
  const network = await docker.networkAddresses(KIND_NETWORK);
  const answer = await networkTakesIp(docker, KIND_NETWORK, network, image);
  if (!answer.takesIp) return { addresses: {}, refusal: answer.refusal ?? 'refused' };
  const chosen = chooseAddresses(network.subnet, network.taken, names.length);
  return { addresses: Object.fromEntries(names.map((name, i) => [name, chosen[i] as string])) };
}
