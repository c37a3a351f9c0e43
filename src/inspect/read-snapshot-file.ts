import { readFileSync } from 'node:fs';
import { UsageError } from '../common/kindlab-error.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './snapshot.js';

/** Reads a saved snapshot and refuses other schema versions rather than misreading them. */
export function readSnapshotFile(path: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UsageError(`failed to read snapshot ${path}`, { cause, hint: 'create one with `lab inspect <name> --out FILE`' });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UsageError(`snapshot ${path} has schemaVersion ${JSON.stringify(version)}, expected ${SNAPSHOT_SCHEMA_VERSION}`);
  }
  return data as Snapshot;
}
