import { KIND_ROLE_LABEL } from '../common/labels.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { requireStoppableLab, stopGroups, type LabPart } from './lab-parts.js';
import { networkTakesIp } from './network-takes-ip.js';
import { notPinnedNotice } from './not-pinned-notice.js';
import { stopNodeContainers } from './stop-node-containers.js';

export interface StopLabResult {
  name: string;
  /** Per part, in the order stopped: the containers this run stopped. */
  stopped: Array<{ part: LabPart; containers: string[] }>;
  /** Containers that had no fixed address and were pinned to the one they had (labs from before `lab up` pinned them). */
  pinned: Array<{ container: string; address: string }>;
  /** Set when containers without a fixed address could not be pinned: Docker refuses --ip on the kind network. */
  notPinned?: string;
  /** Nothing was running. */
  alreadyStopped: boolean;
}

export interface StopLabOptions {
  signal?: AbortSignal;
  output?: (line: string) => void;
}

/**
 * Stops a lab's containers, clients first (lab-parts.ts START_ORDER, reversed), each as soon as
 * nothing in it keeps state (stop-node-containers.ts). A container still
 * without a fixed address (a lab created before `lab up` pinned them, or a plain kind cluster) is
 * pinned, once stopped, to the address it had, so `lab start` brings it back on that address
 * (choose-addresses.ts says why that matters) — only where Docker takes `--ip` on the kind network
 * (asked before anything stops: a refused `connect --ip` would leave the node off the network).
 * The containers, their volumes and the lab's record stay.
 */
export async function stopLab(docker: DockerCli, name: string, options: StopLabOptions = {}): Promise<StopLabResult> {
  const { containers, metadata } = await requireStoppableLab(docker, name, 'stop');
  let toPin = containers
    .filter((c) => c.state === 'running' && c.networks[KIND_NETWORK]?.ipv4 && !c.networks[KIND_NETWORK]?.pinnedIpv4)
    .map((c) => ({ id: c.id, container: c.name, address: c.networks[KIND_NETWORK]?.ipv4 as string }));
  const result: StopLabResult = { name, stopped: [], pinned: [], alreadyStopped: !containers.some((c) => c.state === 'running') };
  const image = nodeImage(containers);
  if (toPin.length > 0 && image) {
    const answer = await networkTakesIp(docker, KIND_NETWORK, await docker.networkAddresses(KIND_NETWORK), image);
    if (!answer.takesIp) {
      const controlPlanes = metadata?.controlPlanes ?? containers.filter((c) => c.labels[KIND_ROLE_LABEL] === 'control-plane').length;
      result.notPinned = notPinnedNotice(answer.refusal ?? 'refused', controlPlanes);
      options.output?.(result.notPinned);
      toPin = [];
    }
  }
  for (const group of stopGroups(containers)) {
    const running = group.containers.filter((c) => c.state === 'running');
    if (running.length === 0) continue;
    options.output?.(`stopping ${group.part}: ${running.map((c) => c.name).join(', ')}`);
    await stopNodeContainers(
      docker,
      running.map((c) => c.id),
      { timeoutSeconds: group.stopTimeoutSeconds, ...(options.signal ? { signal: options.signal } : {}) },
    );
    result.stopped.push({ part: group.part, containers: running.map((c) => c.name) });
  }
  for (const { id, container, address } of toPin) {
    await docker.pinAddress(id, KIND_NETWORK, address);
    options.output?.(`pinned ${container} to ${address} on network ${KIND_NETWORK}`);
    result.pinned.push({ container, address });
  }
  return result;
}

/** The image of the lab's nodes: present on the daemon for as long as the lab is, so the `--ip` question can use it. */
function nodeImage(containers: readonly ContainerInfo[]): string | undefined {
  return (containers.find((c) => c.labels[KIND_ROLE_LABEL] === 'control-plane') ?? containers[0])?.image;
}
