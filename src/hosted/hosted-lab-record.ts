import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kindlabHome } from '../common/paths.js';
import { validateWithSchema } from '../common/validate-with-schema.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import type { EtcdMode, TopologyKind } from '../topology/topology-spec.js';
import { compareText } from '../common/compare-text.js';

export const HOSTED_LAB_API_VERSION = 'kindlab.dev/hosted-lab/v1';

/**
 * What `lab up --host-cluster` keeps of a hosted lab on this machine (templates/schemas/hosted-lab.schema.json):
 * its pod and Service live in another cluster, so nothing on the local Docker daemon names it. The
 * objects themselves carry the lab's name and run id as labels; the record says which cluster to ask.
 */
export interface HostedLabRecord {
  apiVersion: typeof HOSTED_LAB_API_VERSION;
  name: string;
  runId: string;
  createdAt: string;
  topology: TopologyKind;
  etcd: EtcdMode;
  controlPlanes: number;
  workers: number;
  profile?: string;
  nodeImage: string;
  host: { kubeconfig: string; context: string; server: string };
  namespace: string;
  pod: string;
  service: string;
  hostNode?: string;
  server: string;
  kubeconfig: string;
  mergedInto?: string;
  /** The room (`--prefix`) of `lab up --count/--participants`. */
  room?: string;
  requests?: { cpu: string; memory: string; source: string };
}

/** kindlab's own directory for the records, 0700: they name where admin kubeconfigs live. */
export function hostedLabDir(home = kindlabHome()): string {
  return join(home, 'hosted-labs');
}

export function hostedLabRecordPath(lab: string, home = kindlabHome()): string {
  return join(hostedLabDir(home), `${lab}.json`);
}

export function writeHostedLabRecord(record: HostedLabRecord, home = kindlabHome()): string {
  makePrivateDirectory(hostedLabDir(home));
  const path = hostedLabRecordPath(record.name, home);
  writePrivateFile(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** The lab's record, or undefined when this machine hosts no lab of that name. */
export function readHostedLabRecord(lab: string, home = kindlabHome()): HostedLabRecord | undefined {
  const path = hostedLabRecordPath(lab, home);
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  validateWithSchema(data, 'hosted-lab', path);
  return data as HostedLabRecord;
}

export function listHostedLabRecords(home = kindlabHome()): HostedLabRecord[] {
  const dir = hostedLabDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readHostedLabRecord(file.slice(0, -'.json'.length), home))
    .filter((record): record is HostedLabRecord => record !== undefined)
    .sort((a, b) => compareText(a.name, b.name));
}

export function removeHostedLabRecord(lab: string, home = kindlabHome()): void {
  rmSync(hostedLabRecordPath(lab, home), { force: true });
}
