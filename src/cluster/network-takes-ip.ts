import { KindlabError } from '../common/kindlab-error.js';
import { IP_PROBE_COMPONENT, IPV4_SUBNET_LABEL, LAB_COMPONENT_LABEL } from '../common/labels.js';
import type { DockerCli, NetworkAddresses } from '../docker/docker-cli.js';
import { chooseAddresses } from './choose-addresses.js';

/** Whether a network takes `--ip`, and Docker's own words when it does not. */
export interface NetworkIpAnswer {
  takesIp: boolean;
  /** Docker's refusal (the last line of the failed start), when takesIp is false. */
  refusal?: string;
}

/**
 * Docker's refusal of `--ip` on a network whose IPv4 subnet it picked itself (recorded on Docker
 * 20.10.24, test/fixtures/lab-stop-start/start-ip-refused.txt). kind creates its network with only
 * an IPv6 subnet given, so a `kind` network made by kind may refuse; one made with an IPv4 subnet
 * given (kindlab's ensureKindNetwork) never does. Inspect shows both alike, so kindlab asks Docker.
 */
const REFUSED = /user specified IP address is supported only|user specified IP address is supported on user defined networks only/;

/** Answers per network id: a network keeps its IPAM config for life, and a new one has a new id. */
const answers = new Map<string, Promise<NetworkIpAnswer>>();

/**
 * Whether Docker starts a container on `network` at an address given with `--ip`: yes on a network
 * kindlab made with its IPv4 subnet given (IPV4_SUBNET_LABEL); otherwise asked once per
 * network id (per process) by starting a throwaway container of `image` (one every lab has: its node
 * image) on a free address from the upper half of the subnet. Another container taking that address
 * meanwhile is not an answer: asked again on another one.
 */
export function networkTakesIp(docker: DockerCli, network: string, addresses: NetworkAddresses, image: string): Promise<NetworkIpAnswer> {
  // Made by kindlab with its IPv4 subnet given: Docker takes --ip there, no container needs to start to say so.
  if (addresses.labels[IPV4_SUBNET_LABEL] === 'given') return Promise.resolve({ takesIp: true });
  const key = `${docker.endpoint.host} ${addresses.id}`;
  let answer = answers.get(key);
  if (!answer) {
    answer = ask(docker, network, addresses, image);
    answers.set(key, answer);
    // A failed question is not an answer: the next caller asks again.
    answer.catch(() => answers.delete(key));
  }
  return answer;
}

async function ask(docker: DockerCli, network: string, addresses: NetworkAddresses, image: string): Promise<NetworkIpAnswer> {
  const taken = [...addresses.taken];
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const [address] = chooseAddresses(addresses.subnet, taken, 1);
    const result = await docker.tryAddress(network, address as string, image, { [LAB_COMPONENT_LABEL]: IP_PROBE_COMPONENT });
    if (result.exitCode === 0) return { takesIp: true };
    last = result.stderr.trim().split('\n').at(-1) ?? '';
    if (REFUSED.test(result.stderr)) return { takesIp: false, refusal: last };
    if (!/Address already in use/.test(result.stderr)) break;
    taken.push(address as string);
  }
  throw new KindlabError(`failed to find out whether docker network ${network} takes --ip: ${last || 'no answer'}`, {
    hint: `try it by hand: docker run --rm --network ${network} --ip <a free address> --entrypoint /bin/true ${image}`,
  });
}
