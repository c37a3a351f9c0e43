import { UsageError } from '../common/kindlab-error.js';
import { parseLabName } from '../common/parse-lab-name.js';
import { parseDuration } from './parse-duration.js';
import {
  ETCD_MODES,
  PROFILES,
  TOPOLOGY_KINDS,
  type EtcdMode,
  type ProfileName,
  type PortMapping,
  type TopologyInput,
  type TopologyKind,
  type TopologySpec,
} from './topology-spec.js';

export const DEFAULT_LAB_NAME = 'kindlab';
export const DEFAULT_WAIT = '10m';

const VERSION_PATTERN = /^v\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

const DEFAULT_WORKERS: Record<TopologyKind, number> = { single: 0, multi: 2, ha: 1 };
const DEFAULT_CONTROL_PLANES: Record<TopologyKind, number> = { single: 1, multi: 1, ha: 3 };

/** Validates user input into a spec. Every problem is a UsageError (exit 2) raised before anything is created. */
export function buildTopologySpec(input: TopologyInput): TopologySpec {
  const kind = parseKind(input.kind);
  const name = parseLabName(input.name ?? DEFAULT_LAB_NAME);
  const workers = parseCount(input.workers, '--workers') ?? DEFAULT_WORKERS[kind];
  const controlPlanes = parseCount(input.controlPlanes, '--control-planes') ?? DEFAULT_CONTROL_PLANES[kind];

  if (kind === 'single' && workers !== 0) {
    throw new UsageError(`topology single runs everything on one node and takes no workers (got --workers ${workers})`, {
      hint: `use \`lab up multi --workers ${workers}\``,
    });
  }
  if (kind !== 'ha' && controlPlanes !== 1) {
    throw new UsageError(`topology ${kind} has exactly one control plane (got --control-planes ${controlPlanes})`, {
      hint: `use \`lab up ha --control-planes ${controlPlanes % 2 === 1 && controlPlanes >= 3 ? controlPlanes : 3}\``,
    });
  }
  if (kind === 'ha' && (controlPlanes < 3 || controlPlanes % 2 === 0)) {
    throw new UsageError(`invalid --control-planes ${controlPlanes}: ha needs an odd number of control planes, at least 3`, {
      hint: 'etcd keeps quorum with a majority: use --control-planes 3 or 5',
    });
  }
  if (kind === 'multi' && workers < 1) {
    throw new UsageError('topology multi needs at least one worker (got --workers 0)', { hint: 'use `lab up single` for one node' });
  }

  const image = parseOptionalString(input.image, '--image');
  const kubernetesVersion = parseOptionalString(input.kubernetesVersion, '--kubernetes-version');
  if (image && kubernetesVersion) {
    throw new UsageError('--image and --kubernetes-version both choose the node image; give only one');
  }
  if (kubernetesVersion && !VERSION_PATTERN.test(kubernetesVersion)) {
    throw new UsageError(`invalid --kubernetes-version "${kubernetesVersion}": expected a version such as v1.34.4`);
  }

  return {
    kind,
    name,
    controlPlanes,
    workers,
    etcd: parseEtcd(input.etcd),
    image,
    kubernetesVersion,
    ports: (input.ports ?? []).map(parsePort),
    retain: input.retain ?? false,
    waitMs: parseDuration(input.wait ?? DEFAULT_WAIT),
    kubeconfig: parseOptionalString(input.kubeconfig, '--kubeconfig'),
    ...(input.profile === undefined ? {} : { profile: parseProfile(input.profile) }),
  };
}

/** Nodes kind will create, load balancer excluded. */
export function nodeCount(spec: Pick<TopologySpec, 'controlPlanes' | 'workers'>): number {
  return spec.controlPlanes + spec.workers;
}

function parseKind(value: string | undefined): TopologyKind {
  if (value === undefined) return 'single';
  if ((TOPOLOGY_KINDS as readonly string[]).includes(value)) return value as TopologyKind;
  throw new UsageError(`unknown topology "${value}"`, { hint: `choose one of: ${TOPOLOGY_KINDS.join(', ')}` });
}

function parseProfile(value: string): ProfileName {
  if ((PROFILES as readonly string[]).includes(value)) return value as ProfileName;
  throw new UsageError(`unknown --profile "${value}"`, { hint: `choose one of: ${PROFILES.join(', ')}` });
}

function parseEtcd(value: string | undefined): EtcdMode {
  if (value === undefined) return 'stacked';
  if ((ETCD_MODES as readonly string[]).includes(value)) return value as EtcdMode;
  throw new UsageError(`unknown --etcd "${value}"`, { hint: `choose one of: ${ETCD_MODES.join(', ')}` });
}

function parseCount(value: number | string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text)) throw new UsageError(`invalid ${flag} "${value}": expected a whole number`);
  const count = Number(text);
  if (count < 0) throw new UsageError(`invalid ${flag} ${count}: cannot be negative`);
  if (count > 20) throw new UsageError(`invalid ${flag} ${count}: at most 20 nodes of a role on one machine`);
  return count;
}

function parseOptionalString(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value.trim();
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

function parsePort(value: string | Partial<PortMapping>): PortMapping {
  if (typeof value === 'string') {
    const match = /^(\d+):(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(value.trim());
    if (!match) {
      throw new UsageError(`invalid --port "${value}": expected hostPort:containerPort, e.g. 8080:80 or 5353:53/udp`);
    }
    return checkPort(
      {
        hostPort: Number(match[1]),
        containerPort: Number(match[2]),
        protocol: (match[3]?.toUpperCase() ?? 'TCP') as PortMapping['protocol'],
      },
      value,
    );
  }
  const protocol = (value.protocol ?? 'TCP').toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(`invalid port protocol "${value.protocol}": choose one of ${PROTOCOLS.join(', ')}`);
  }
  return checkPort(
    { hostPort: Number(value.hostPort), containerPort: Number(value.containerPort), protocol: protocol as PortMapping['protocol'] },
    JSON.stringify(value),
  );
}

function checkPort(port: PortMapping, shown: string): PortMapping {
  for (const n of [port.hostPort, port.containerPort]) {
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new UsageError(`invalid --port "${shown}": ports must be between 1 and 65535`);
    }
  }
  return port;
}
