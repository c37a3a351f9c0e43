import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { schemaErrors, schemaFile, type SchemaName } from '../../../src/common/validate-with-schema.js';
import { ACTION_CATALOG, CHECK_ACTIONS } from '../../../src/labs/action-catalog.js';
import { listTourLabs, loadTourLab } from '../../../src/labs/load-tour-lab.js';
import { TOPOLOGY_NOTE_KEYS } from '../../../src/labs/tour-lab.js';
import { buildTopologySpec } from '../../../src/topology/build-topology-spec.js';
import { loadLabFile } from '../../../src/topology/load-lab-file.js';
import { ETCD_MODES, TOPOLOGY_KINDS } from '../../../src/topology/topology-spec.js';
import { BUILT_IN_EXPECTATIONS } from '../../../src/verify/expectation.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { warmSchemas } from '../support/warm-schemas.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCHEMA_LINE = /^# yaml-language-server: \$schema=(\S+)$/m;
const SCHEMAS: Record<string, SchemaName> = {
  'lab.schema.json': 'lab',
  'expectation.schema.json': 'expectation',
  'tour-lab.schema.json': 'tour-lab',
  'snapshot-v1.schema.json': 'snapshot-v1',
  'kind-config.schema.json': 'kind-config',
  'lab-costs.schema.json': 'lab-costs',
  'profile.schema.json': 'profile',
  'image-bundle.schema.json': 'image-bundle',
  'verify-outcome.schema.json': 'verify-outcome',
  'hosted-lab.schema.json': 'hosted-lab',
};

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** Every YAML a user may copy: the tour labs, the templates (but kubeadm's own files), the recorded kind configs. */
const EXAMPLES = [
  ...yamlFiles('labs'),
  ...yamlFiles('templates').filter((f) => !/^templates\/(patches|etcd|annotations)\//.test(f)),
  ...yamlFiles('test/fixtures').filter((f) => f.startsWith('test/fixtures/kind-') || f.startsWith('test/fixtures/labs/')),
];

warmSchemas('lab', 'expectation', 'tour-lab', 'snapshot-v1', 'kind-config', 'profile');

describe('the schemas in templates/schemas', () => {
  it('are the ones the validator knows, and each one compiles in strict mode', () => {
    expect(readdirSync(join(ROOT, 'templates/schemas')).sort()).toEqual(Object.keys(SCHEMAS).sort());
    for (const name of Object.values(SCHEMAS)) expect(() => schemaErrors({}, name)).not.toThrow();
  });

  it.each(EXAMPLES)('%s names its schema with a path that exists, and matches it', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const line = SCHEMA_LINE.exec(text);
    expect(line, `${file} has no "# yaml-language-server: $schema=" line`).not.toBeNull();
    const target = resolve(dirname(join(ROOT, file)), line![1]!);
    expect(existsSync(target), `${target} does not exist`).toBe(true);
    const name = SCHEMAS[relative(join(ROOT, 'templates/schemas'), target)];
    expect(name).toBeDefined();
    const errors = schemaErrors(load(text), name!);
    // broken.yaml exists to break its schema; every other example must match.
    if (file.endsWith('/broken.yaml')) expect(errors).not.toEqual([]);
    else expect(errors).toEqual([]);
  });

  it('accept what the loaders accept: every shipped lab, expectation and the example lab file', async () => {
    for (const lab of listTourLabs()) expect(loadTourLab(lab).name).toBe(lab);
    for (const name of BUILT_IN_EXPECTATIONS) expect((await loadExpectation(name)).source).toBe(`built-in expectation ${name}`);
    expect(buildTopologySpec(loadLabFile(join(ROOT, 'templates/examples/lab.yaml')))).toMatchObject({ kind: 'multi', name: 'demo', workers: 2 });
  });

  it('list the same names as the code that acts on them', () => {
    const read = (name: SchemaName) => JSON.parse(readFileSync(join(ROOT, schemaFile(name)), 'utf8'));
    const lab = read('lab');
    expect(lab.properties.topology.enum).toEqual([...TOPOLOGY_KINDS]);
    expect(lab.properties.etcd.enum).toEqual([...ETCD_MODES]);
    const tour = read('tour-lab');
    expect(tour.$defs.action.properties.type.enum).toEqual(Object.keys(ACTION_CATALOG));
    expect(tour.$defs.check.properties.type.enum).toEqual(Object.keys(CHECK_ACTIONS));
    expect(Object.keys(tour.$defs.step.properties.topology.properties)).toEqual([...TOPOLOGY_NOTE_KEYS]);
  });
});
