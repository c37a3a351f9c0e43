import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { loadLabFile } from '../../../src/topology/load-lab-file.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kindlab-labfile-')), 'lab.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadLabFile', () => {
  it('reads the same fields as the flags', () => {
    const input = loadLabFile(file('topology: multi\nname: demo\nworkers: 3\netcd: external\nports: ["8080:80"]\nwait: 5m\nretain: true\n'));
    expect(buildTopologySpec(input)).toMatchObject({
      kind: 'multi',
      name: 'demo',
      workers: 3,
      etcd: 'external',
      ports: [{ hostPort: 8080, containerPort: 80, protocol: 'TCP' }],
      waitMs: 300_000,
      retain: true,
    });
  });

  it('refuses unknown fields so a typo cannot change the lab silently', () => {
    expect(() => loadLabFile(file('topology: multi\nworker: 3\n'))).toThrow(/unknown field\(s\): worker/);
  });

  it('refuses a file that is not a mapping, or wrong types', () => {
    expect(() => loadLabFile(file('- multi\n'))).toThrow(/must be a YAML mapping/);
    expect(() => loadLabFile(file('retain: "yes"\n'))).toThrow(/retain must be true or false/);
    expect(() => loadLabFile('/nonexistent/lab.yaml')).toThrow(/failed to read lab file/);
  });
});
