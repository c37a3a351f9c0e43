import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidFileError } from '../../../src/common/invalid-file-error.js';
import { usageErrorOf } from '../support/usage-error-of.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { loadLabFile } from '../../../src/topology/load-lab-file.js';
import { warmSchemas } from '../support/warm-schemas.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kindlab-labfile-')), 'lab.yaml');
  writeFileSync(path, text);
  return path;
}

warmSchemas('lab');

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
    expect(() => loadLabFile(file('topology: multi\nworker: 3\n'))).toThrow(/lab\.yaml: \/worker is not a known field \(known: topology, kind, /);
  });

  it('reports every problem with its path, exit 2 and a hint naming the schema', () => {
    const path = file(
      'topology: mesh\nworkers: [1]\nports: [8080, "80", {hostPort: 0, containerPort: 80, protocol: 5}]\nwait: 10 parsecs\nretain: "yes"\nimage: ""\n',
    );
    const error = usageErrorOf(() => loadLabFile(path), InvalidFileError);
    expect(error.problems).toEqual([
      '/topology must be one of single, multi, ha (got "mesh")',
      '/workers must be a whole number (got a list)',
      '/image must be at least 1 character(s) long (got "")',
      '/ports/0 must be a string or a mapping (got 8080)',
      '/ports/1 must be hostPort:containerPort, e.g. 8080:80 or 5353:53/udp (got "80")',
      '/ports/2/hostPort must be >= 1 (got 0)',
      '/ports/2/protocol must be one of TCP, UDP, SCTP, tcp, udp, sctp (got 5)',
      '/retain must be true or false (got "yes")',
      '/wait must be a duration such as 90s, 5m or 1m30s (got "10 parsecs")',
    ]);
    expect(error.message.startsWith(`${path}: /topology must be one of`)).toBe(true);
    expect(error.hint).toBe('the file must match templates/schemas/lab.schema.json');
  });

  it('refuses a file that is not a mapping, both topology and kind, or no file', () => {
    expect(() => loadLabFile(file('- multi\n'))).toThrow(/lab\.yaml: \/ must be a mapping \(got a list\)/);
    expect(() => loadLabFile(file('topology: [multi\n'))).toThrow(/lab\.yaml: not valid YAML/);
    expect(() => loadLabFile(file('topology: ha\nkind: ha\n'))).toThrow(/\/kind and \/topology both set the topology/);
    expect(() => loadLabFile('/nonexistent/lab.yaml')).toThrow(/failed to read lab file \/nonexistent\/lab\.yaml: ENOENT/);
  });

  it('leaves the rules across fields to buildTopologySpec, as for flags', () => {
    expect(() => buildTopologySpec(loadLabFile(file('topology: single\nworkers: 2\n')))).toThrow(/takes no workers/);
    expect(buildTopologySpec(loadLabFile(file('kind: ha\nports: [{hostPort: 53, containerPort: 53, protocol: udp}]\nwait: 90\n')))).toMatchObject({
      kind: 'ha',
      ports: [{ hostPort: 53, containerPort: 53, protocol: 'UDP' }],
      waitMs: 90_000,
    });
  });
});
