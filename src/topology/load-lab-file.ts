import { UsageError } from '../common/kindlab-error.js';
import { readUserFile } from '../common/read-user-file.js';
import { schemaHint, validateWithSchema } from '../common/validate-with-schema.js';
import type { TopologyInput } from './topology-spec.js';

/** What a lab file looks like, as the schema's fields. */
interface LabFile extends Omit<TopologyInput, 'kind'> {
  topology?: string;
  kind?: string;
}

/**
 * `lab up -f lab.yaml`: the same fields as the flags (templates/schemas/lab.schema.json), e.g.
 *   topology: multi
 *   name: demo
 *   workers: 3
 *   etcd: external
 *   ports: ["8080:80"]
 * Unknown keys are refused so a typo does not silently give a different lab; the counts per topology
 * and the other rules across fields are checked by buildTopologySpec, as for flags.
 */
export function loadLabFile(path: string): TopologyInput {
  const data = readUserFile(path, 'lab file', 'yaml', 'give the path of a lab file such as templates/examples/lab.yaml');
  validateWithSchema(data, 'lab', path);
  const { topology, kind, ...rest } = data as LabFile;
  if (topology !== undefined && kind !== undefined) {
    throw new UsageError(`${path}: /kind and /topology both set the topology; give only /topology`, { hint: schemaHint('lab') });
  }
  return { ...rest, kind: topology ?? kind };
}
