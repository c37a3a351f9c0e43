import { load } from 'js-yaml';
import { UsageError } from '../common/kindlab-error.js';
import { parseVersionPattern, type VersionPattern } from './version-pattern.js';

export const EXPECTATION_API_VERSION = 'kindlab.dev/v1alpha1';
export { BUILT_IN_EXPECTATIONS, type BuiltInExpectation } from './built-in-expectations.js';

/** "exactly 3" or "3 or more" (written `3+` in a file). */
export interface NodeCount {
  min: number;
  exact: boolean;
}

/** What a cluster must look like, read from templates/expectations/*.yaml or a user's file. */
export interface Expectation {
  /** Where it came from ("built-in ha", a file path), for messages. */
  source: string;
  description?: string;
  controlPlanes: NodeCount;
  workers: NodeCount;
  kubernetesVersion?: VersionPattern;
  etcd: 'stacked' | 'external';
  /** kind puts a load balancer in front of the API whenever there is more than one control plane. */
  loadBalancer: boolean;
  /** The CNI daemon every node must run: any one of these process names. */
  cni: string[];
  /** Run the checks that create short-lived pods (DNS, scheduling, logs through the kubelet). */
  probes: boolean;
}

/** kind's default CNI (published node images) and the one kindlab's offline node image runs. */
export const DEFAULT_CNI_DAEMONS = ['kindnetd', 'flanneld'];

const KNOWN_FIELDS = new Set([
  'apiVersion', 'kind', 'description', 'controlPlanes', 'workers', 'kubernetesVersion', 'etcd', 'loadBalancer', 'cni', 'probes',
]);

const HINT = 'see "Expectation files" in the README; the built-ins are in templates/expectations/';

/** Parses and validates an expectation document; every problem is a UsageError naming the field. */
export function parseExpectation(text: string, source: string): Expectation {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error, hint: HINT });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(`${source} must be a YAML mapping (controlPlanes: 1, workers: 2, ...)`, { hint: HINT });
  }
  const fields = doc as Record<string, unknown>;
  const fail = (field: string, message: string): never => {
    throw new UsageError(`${source}: ${field} ${message}`, { hint: HINT });
  };
  const unknown = Object.keys(fields).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) fail(unknown[0]!, `is not a known field (known: ${[...KNOWN_FIELDS].join(', ')})`);
  if (fields.apiVersion !== undefined && fields.apiVersion !== EXPECTATION_API_VERSION) {
    fail('apiVersion', `must be ${EXPECTATION_API_VERSION}, got ${JSON.stringify(fields.apiVersion)}`);
  }
  if (fields.kind !== undefined && fields.kind !== 'Expectation') fail('kind', `must be Expectation, got ${JSON.stringify(fields.kind)}`);
  if (fields.controlPlanes === undefined) fail('controlPlanes', 'is required (e.g. controlPlanes: 3)');

  const controlPlanes = parseCount(fields.controlPlanes, (m) => fail('controlPlanes', m));
  if (controlPlanes.min < 1) fail('controlPlanes', 'must be at least 1');
  const workers = fields.workers === undefined ? { min: 0, exact: false } : parseCount(fields.workers, (m) => fail('workers', m));

  let kubernetesVersion: VersionPattern | undefined;
  if (fields.kubernetesVersion !== undefined) {
    const raw = String(fields.kubernetesVersion);
    kubernetesVersion = parseVersionPattern(raw);
    if (!kubernetesVersion) fail('kubernetesVersion', `${JSON.stringify(raw)} is not a version pattern (v1.34.x, v1.34.4, v1.x)`);
  }

  const etcd = fields.etcd ?? 'stacked';
  if (etcd !== 'stacked' && etcd !== 'external') fail('etcd', `must be stacked or external, got ${JSON.stringify(etcd)}`);

  const multipleControlPlanes = controlPlanes.min > 1;
  const loadBalancer = fields.loadBalancer ?? multipleControlPlanes;
  if (typeof loadBalancer !== 'boolean') fail('loadBalancer', 'must be true or false');
  if (loadBalancer === false && multipleControlPlanes) fail('loadBalancer', 'cannot be false with more than one control plane (kind always adds one)');

  const cni = typeof fields.cni === 'string' ? [fields.cni] : (fields.cni ?? DEFAULT_CNI_DAEMONS);
  if (!Array.isArray(cni) || cni.length === 0 || !cni.every((name) => typeof name === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(name))) {
    fail('cni', 'must be the process name of the CNI daemon (kindnetd) or a list of accepted names');
  }

  const probes = fields.probes ?? true;
  if (typeof probes !== 'boolean') fail('probes', 'must be true or false');

  if (fields.description !== undefined && typeof fields.description !== 'string') fail('description', 'must be a string');

  return {
    source,
    ...(fields.description !== undefined ? { description: fields.description as string } : {}),
    controlPlanes,
    workers,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    etcd: etcd as Expectation['etcd'],
    loadBalancer: loadBalancer as boolean,
    cni: cni as string[],
    probes: probes as boolean,
  };
}

function parseCount(value: unknown, fail: (message: string) => never): NodeCount {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { min: value, exact: true };
  const match = typeof value === 'string' ? /^(\d+)(\+?)$/.exec(value.trim()) : null;
  if (!match) return fail(`must be a whole number (2) or a minimum (2+), got ${JSON.stringify(value)}`);
  return { min: Number(match[1]), exact: match[2] !== '+' };
}

export function countMatches(count: NodeCount, actual: number): boolean {
  return count.exact ? actual === count.min : actual >= count.min;
}

export function describeCount(count: NodeCount): string {
  return count.exact ? String(count.min) : `at least ${count.min}`;
}
