import type { LabMetadata } from '../cluster/lab-metadata.js';
import type { Snapshot } from '../inspect/snapshot.js';
import type { BuiltInExpectation, Expectation } from './expectation.js';
import { nodesWithRole } from './checks/snapshot-queries.js';
import { loadExpectation } from './load-expectation.js';
import { parseVersionPattern } from './version-pattern.js';

/**
 * Without --expect: the lab as `lab up` recorded it (src/cluster/lab-metadata.ts), so a healthy lab
 * passes whatever its shape (ha with external etcd, ha without workers, 5 control planes). Only a
 * cluster kindlab did not create has no record; its shape is then guessed from its containers, and
 * the expectation's source says so.
 */
export async function inferExpectation(snapshot: Snapshot, record: LabMetadata | undefined): Promise<Expectation> {
  return record ? expectationFromRecord(record) : guessFromContainers(snapshot);
}

/** The built-in of the recorded topology, with the recorded node counts, etcd mode and Kubernetes version. */
export async function expectationFromRecord(record: LabMetadata): Promise<Expectation> {
  const builtIn = await loadExpectation(record.topology);
  // An unreadable spec label leaves the counts at 0 (lab-metadata.ts): the built-in's counts then stand.
  const counted = record.controlPlanes > 0;
  const controlPlanes = counted ? { min: record.controlPlanes, exact: true } : builtIn.controlPlanes;
  const workers = counted ? { min: record.workers, exact: true } : builtIn.workers;
  const kubernetesVersion = versionOfImage(record.nodeImage);
  const { kubernetesVersion: _builtInVersion, ...rest } = builtIn;
  return {
    ...rest,
    source: `the lab's record (lab up ${record.topology}${record.etcd === 'external' ? ' --etcd external' : ''})`,
    description: `${describeNodes(controlPlanes.min, 'control plane')}, ${describeNodes(workers.min, 'worker')}, ${record.etcd} etcd${kubernetesVersion ? `, Kubernetes ${kubernetesVersion.text}` : ''}`,
    controlPlanes,
    workers,
    etcd: record.etcd,
    loadBalancer: controlPlanes.min > 1,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  };
}

/** The node image's tag when it is a Kubernetes version (kindlab/node:v1.34.4, kindest/node:v1.34.0@sha256:...). */
function versionOfImage(image: string): ReturnType<typeof parseVersionPattern> {
  const tag = /:(v\d+\.\d+\.\d+)(@|$)/.exec(image)?.[1];
  return tag ? parseVersionPattern(tag) : undefined;
}

function describeNodes(count: number, what: string): string {
  return `${count} ${what}${count === 1 ? '' : 's'}`;
}

/** For clusters without a record: the built-in that matches the shape of the containers. */
export function inferExpectationName(snapshot: Snapshot): BuiltInExpectation {
  const controlPlanes = nodesWithRole(snapshot, 'control-plane').length;
  const workers = nodesWithRole(snapshot, 'worker').length;
  const externalEtcd = nodesWithRole(snapshot, 'external-etcd').length > 0;
  if (controlPlanes > 1) return 'ha';
  if (externalEtcd && workers > 0) return 'external';
  return workers > 0 ? 'multi' : 'single';
}

/**
 * The guessed built-in, with etcd outside the cluster when there is an external etcd container.
 * The `external` built-in describes `lab up multi --etcd external`; single and ha run with external
 * etcd too, so their node counts come from their own built-in.
 */
async function guessFromContainers(snapshot: Snapshot): Promise<Expectation> {
  const name = inferExpectationName(snapshot);
  const builtIn = await loadExpectation(name);
  const guessed = `(guessed from the containers: ${snapshot.cluster} has no record of lab up, kindlab did not create it)`;
  if (nodesWithRole(snapshot, 'external-etcd').length === 0 || builtIn.etcd === 'external') return { ...builtIn, source: `${builtIn.source} ${guessed}` };
  return {
    ...builtIn,
    source: `${builtIn.source} with external etcd ${guessed}`,
    description: `${name} topology, etcd in a container outside the cluster`,
    etcd: 'external',
  };
}
