import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../common/kindlab-error.js';
import { projectRoot } from '../common/paths.js';
import { validateJsonSchema, type JsonSchema } from '../topology/validate-json-schema.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './snapshot.js';

const HINT = 'create one with `lab inspect <name> --out FILE`';

/**
 * Reads a saved snapshot and checks it against the shipped schema (src/inspect/snapshot-v1.schema.json)
 * before any renderer sees it: another version, a hand-edited or truncated file is one clear error.
 */
export function readSnapshotFile(path: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause instanceof SyntaxError ? 'not valid JSON' : String(cause));
    throw new UsageError(`invalid --from ${JSON.stringify(path)}: failed to read the snapshot: ${reason}`, { cause, hint: HINT });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UsageError(`invalid --from ${JSON.stringify(path)}: schemaVersion is ${JSON.stringify(version)}, expected ${SNAPSHOT_SCHEMA_VERSION}`, { hint: HINT });
  }
  const errors = validateJsonSchema(data, snapshotSchema());
  if (errors.length > 0) {
    throw new UsageError(`invalid --from ${JSON.stringify(path)}: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, {
      hint: `the file does not match src/inspect/snapshot-v1.schema.json; ${HINT}`,
    });
  }
  return data as Snapshot;
}

export function snapshotSchema(): JsonSchema {
  return JSON.parse(readFileSync(join(projectRoot(), 'src', 'inspect', 'snapshot-v1.schema.json'), 'utf8')) as JsonSchema;
}
