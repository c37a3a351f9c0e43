import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../../src/common/validate-with-schema.js';
import { readSnapshotFile } from '../../../src/inspect/read-snapshot-file.js';
import { SNAPSHOT_SCHEMA_VERSION } from '../../../src/inspect/snapshot.js';
import { InvalidFileError } from '../../../src/common/invalid-file-error.js';
import { usageErrorOf } from '../support/usage-error-of.js';
import { loadSnapshot, TOPOLOGIES } from '../../fixtures/load-fixtures.js';
import { warmSchemas } from '../support/warm-schemas.js';

const schema = JSON.parse(readFileSync(new URL('../../../templates/schemas/snapshot-v1.schema.json', import.meta.url), 'utf8')) as {
  properties: Record<string, { const?: string }>;
};

function snapshotFile(data: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kindlab-snapshot-')), 's.json');
  writeFileSync(path, JSON.stringify(data));
  return path;
}

warmSchemas('snapshot-v1');

describe('templates/schemas/snapshot-v1.schema.json', () => {
  it.each(TOPOLOGIES)('accepts the snapshot recorded from the %s cluster, which says how it was recorded', (topology) => {
    const snapshot = loadSnapshot(topology);
    expect(schemaErrors(snapshot, 'snapshot-v1')).toEqual([]);
    expect(snapshot.recordedWith).toMatch(/^lab inspect insp-/);
    expect(readSnapshotFile(snapshotFile(snapshot))).toEqual(snapshot);
  });

  it('pins the version the code writes', () => {
    expect(schema.properties.schemaVersion!.const).toBe(SNAPSHOT_SCHEMA_VERSION);
  });

  it('reports every problem of a broken snapshot with its path (lab report --from)', () => {
    const snapshot = structuredClone(loadSnapshot('single'));
    const index = snapshot.nodes[0]!.processes.findIndex((p) => p.identity.pod);
    const process = snapshot.nodes[0]!.processes[index]!;
    (process.identity as { kind: string }).kind = 'ghost';
    delete (process.identity.pod as { uid?: string }).uid;
    (snapshot as unknown as Record<string, unknown>).cluster = 7;
    const error = usageErrorOf(() => readSnapshotFile(snapshotFile(snapshot)), InvalidFileError);
    const at = `/nodes/0/processes/${index}/identity`;
    expect(error.problems).toEqual([
      '/cluster must be a string (got 7)',
      expect.stringMatching(new RegExp(`^${at}/kind must be one of .* \\(got "ghost"\\)$`)),
      `${at}/pod/uid is required`,
    ]);
    expect(error.hint).toMatch(/templates\/schemas\/snapshot-v1\.schema\.json/);
  });

  it('names another version before anything else, and refuses what is not JSON', () => {
    expect(() => readSnapshotFile(snapshotFile({ schemaVersion: 'kindlab.dev/snapshot/v0', nodes: 5 }))).toThrow(
      /s\.json: \/schemaVersion is "kindlab\.dev\/snapshot\/v0", expected kindlab\.dev\/snapshot\/v1$/,
    );
    const notJson = snapshotFile('');
    writeFileSync(notJson, 'nodes: []\n');
    expect(() => readSnapshotFile(notJson)).toThrow(/s\.json: not valid JSON/);
    expect(() => readSnapshotFile('/nonexistent/s.json')).toThrow(/failed to read snapshot file \/nonexistent\/s\.json: ENOENT/);
  });
});
