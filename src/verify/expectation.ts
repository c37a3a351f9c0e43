import { InvalidFileError } from '../common/invalid-file-error.js';
import { parseUserText } from '../common/read-user-file.js';
import { schemaHint, validateWithSchema } from '../common/validate-with-schema.js';
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

const HINT = 'see "Expectation files" in the README; the built-ins are in templates/expectations/';

/** An expectation file as its schema (templates/schemas/expectation.schema.json) lets it be. */
interface ExpectationFile {
  description?: string;
  controlPlanes: number | string;
  workers?: number | string;
  kubernetesVersion?: string;
  etcd: Expectation['etcd'];
  loadBalancer?: boolean;
  cni?: string | string[];
  probes: boolean;
}

/** Parses and validates an expectation document; every problem is a UsageError naming the field. */
export function parseExpectation(text: string, source: string): Expectation {
  const data = parseUserText(text, source, 'yaml', schemaHint('expectation', HINT));
  validateWithSchema(data, 'expectation', source, HINT);
  const fields = data as ExpectationFile;
  const fail = (message: string): never => {
    throw new InvalidFileError(source, [message], schemaHint('expectation', HINT));
  };

  const controlPlanes = parseCount(fields.controlPlanes);
  const workers = fields.workers === undefined ? { min: 0, exact: false } : parseCount(fields.workers);
  // The schema's pattern admits v1.x.4, which names no release: the parser is the judge.
  const kubernetesVersion = fields.kubernetesVersion === undefined ? undefined : parseVersionPattern(fields.kubernetesVersion);
  if (fields.kubernetesVersion !== undefined && !kubernetesVersion) {
    fail(`/kubernetesVersion must be a version pattern (v1.34.x, v1.34.4, v1.x) (got ${JSON.stringify(fields.kubernetesVersion)})`);
  }
  const multipleControlPlanes = controlPlanes.min > 1;
  const loadBalancer = fields.loadBalancer ?? multipleControlPlanes;
  if (!loadBalancer && multipleControlPlanes) fail('/loadBalancer cannot be false with more than one control plane (kind always adds one)');

  return {
    source,
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    controlPlanes,
    workers,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    etcd: fields.etcd,
    loadBalancer,
    cni: typeof fields.cni === 'string' ? [fields.cni] : (fields.cni ?? DEFAULT_CNI_DAEMONS),
    probes: fields.probes,
  };
}

/** "3" or 3 is exact, "3+" a minimum; the schema has checked the form. */
function parseCount(value: number | string): NodeCount {
  const text = String(value).trim();
  return { min: Number.parseInt(text, 10), exact: !text.endsWith('+') };
}

export function countMatches(count: NodeCount, actual: number): boolean {
  return count.exact ? actual === count.min : actual >= count.min;
}

export function describeCount(count: NodeCount): string {
  return count.exact ? String(count.min) : `at least ${count.min}`;
}
