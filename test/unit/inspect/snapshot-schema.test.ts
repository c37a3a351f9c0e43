import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA_VERSION } from '../../../src/inspect/snapshot.js';
import { validateJsonSchema, type JsonSchema } from '../../../src/topology/validate-json-schema.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';

const { $schema: _s, $id: _i, title: _t, ...schema } = JSON.parse(
  readFileSync(new URL('../../../src/inspect/snapshot-v1.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('snapshot-v1.schema.json', () => {
  it.each(TOPOLOGIES)('accepts the snapshot recorded from the %s cluster, which says how it was recorded', (topology) => {
    const snapshot = loadSnapshot(topology);
    expect(validateJsonSchema(snapshot, schema as JsonSchema)).toEqual([]);
    expect(snapshot.recordedWith).toMatch(/^lab inspect insp-/);
  });

  it('pins the version the code writes', () => {
    expect((schema.properties as Record<string, { const: string }>).schemaVersion!.const).toBe(SNAPSHOT_SCHEMA_VERSION);
  });

  it('rejects a snapshot with an unknown process kind or a missing pod uid', () => {
    const snapshot = structuredClone(loadSnapshot('single'));
    const process = snapshot.nodes[0]!.processes.find((p) => p.identity.pod)!;
    (process.identity as { kind: string }).kind = 'ghost';
    delete (process.identity.pod as { uid?: string }).uid;
    const errors = validateJsonSchema(snapshot, schema as JsonSchema);
    expect(errors.join('\n')).toMatch(/kind: must be one of/);
    expect(errors.join('\n')).toMatch(/uid/);
  });
});
