import { UsageError } from '../common/kindlab-error.js';
import { readUserFile } from '../common/read-user-file.js';
import { schemaHint, validateWithSchema } from '../common/validate-with-schema.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './snapshot.js';

const HINT = 'create one with `lab inspect <name> --out FILE`';

/**
 * Reads a saved snapshot (`lab report --from`) and checks it against the shipped schema
 * (templates/schemas/snapshot-v1.schema.json) before any renderer sees it: another version, a
 * hand-edited or truncated file is one clear error naming every problem.
 */
export function readSnapshotFile(path: string): Snapshot {
  const data = readUserFile(path, 'snapshot file', 'json', HINT);
  // Another version is told apart first: its other problems would only be noise.
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UsageError(`${path}: /schemaVersion is ${JSON.stringify(version)}, expected ${SNAPSHOT_SCHEMA_VERSION}`, {
      hint: schemaHint('snapshot-v1', HINT),
    });
  }
  validateWithSchema(data, 'snapshot-v1', path, HINT);
  return data as Snapshot;
}
