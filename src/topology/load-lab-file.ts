import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { UsageError } from '../common/kindlab-error.js';
import type { TopologyInput } from './topology-spec.js';

const FIELDS: ReadonlySet<string> = new Set([
  'topology', 'kind', 'name', 'workers', 'controlPlanes', 'etcd', 'image', 'kubernetesVersion', 'ports', 'retain', 'wait', 'kubeconfig',
]);

/**
 * `lab up -f lab.yaml`: the same fields as the flags, e.g.
 *   topology: multi
 *   name: demo
 *   workers: 3
 *   etcd: external
 *   ports: ["8080:80"]
 * Unknown keys are refused so a typo does not silently give a different lab.
 */
export function loadLabFile(path: string): TopologyInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`failed to read lab file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = load(text);
  } catch (error) {
    throw new UsageError(`failed to parse lab file ${path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`lab file ${path} must be a YAML mapping such as "topology: multi"`);
  }
  const record = data as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw new UsageError(`lab file ${path} has unknown field(s): ${unknown.join(', ')}`, {
      hint: `known fields: ${[...FIELDS].join(', ')}`,
    });
  }
  if (record.topology !== undefined && record.kind !== undefined) {
    throw new UsageError(`lab file ${path} sets both topology and kind; use topology`);
  }
  return {
    kind: optionalString(record.topology ?? record.kind, 'topology', path),
    name: optionalString(record.name, 'name', path),
    workers: optionalNumber(record.workers, 'workers', path),
    controlPlanes: optionalNumber(record.controlPlanes, 'controlPlanes', path),
    etcd: optionalString(record.etcd, 'etcd', path),
    image: optionalString(record.image, 'image', path),
    kubernetesVersion: optionalString(record.kubernetesVersion, 'kubernetesVersion', path),
    ports: optionalPorts(record.ports, path),
    retain: optionalBoolean(record.retain, 'retain', path),
    wait: record.wait === undefined ? undefined : (optionalString(String(record.wait), 'wait', path) as string),
    kubeconfig: optionalString(record.kubeconfig, 'kubeconfig', path),
  };
}

function optionalString(value: unknown, field: string, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new UsageError(`lab file ${path}: ${field} must be a string`);
  return value;
}

function optionalNumber(value: unknown, field: string, path: string): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') throw new UsageError(`lab file ${path}: ${field} must be a number`);
  return value;
}

function optionalBoolean(value: unknown, field: string, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new UsageError(`lab file ${path}: ${field} must be true or false`);
  return value;
}

function optionalPorts(value: unknown, path: string): TopologyInput['ports'] {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new UsageError(`lab file ${path}: ports must be a list such as ["8080:80"]`);
  return value.map((entry: unknown, i) => {
    if (typeof entry === 'string') return entry;
    const field = `ports[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new UsageError(`lab file ${path}: ${field} must be "hostPort:containerPort" or {hostPort, containerPort, protocol}`);
    }
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !PORT_FIELDS.includes(key));
    if (unknown.length > 0) throw new UsageError(`lab file ${path}: ${field} has unknown field(s): ${unknown.join(', ')}`, { hint: `known fields: ${PORT_FIELDS.join(', ')}` });
    for (const key of ['hostPort', 'containerPort']) {
      const port = record[key];
      if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        throw new UsageError(`lab file ${path}: ${field}.${key} must be a port number between 1 and 65535 (got ${JSON.stringify(port)})`);
      }
    }
    if (record.protocol !== undefined && (typeof record.protocol !== 'string' || !PROTOCOLS.includes(record.protocol.toUpperCase()))) {
      throw new UsageError(`lab file ${path}: ${field}.protocol must be one of ${PROTOCOLS.join(', ')} (got ${JSON.stringify(record.protocol)})`);
    }
    return record as { hostPort: number; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' };
  });
}

const PORT_FIELDS = ['hostPort', 'containerPort', 'protocol'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
