import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metadataFromLabels, type LabMetadata } from '../../../src/cluster/lab-metadata.js';
import { projectRoot } from '../../../src/common/paths.js';
import { inferExpectation, inferExpectationName } from '../../../src/verify/infer-expectation.js';
import { loadExpectation } from '../../../src/verify/load-expectation.js';
import { runChecks } from '../../../src/verify/run-checks.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';
import { recordedEvidence } from './fixtures.js';

/** A lab's record as `lab up` labelled its metadata volume (test/fixtures/lab-record/README.md). */
function recordedLab(name: string): LabMetadata {
  const labels = JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'lab-record', `${name}.json`), 'utf8')) as Record<string, string>;
  return metadataFromLabels(labels)!;
}

const failed = (checks: ReturnType<typeof runChecks>) => checks.filter((c) => c.status === 'fail').map((c) => c.name);

describe("lab verify without --expect: the expectation comes from the lab's record", () => {
  it.each([
    ['single-external', 'single-external-healthy', 'lab up single --etcd external', { min: 1, exact: true }, { min: 0, exact: true }, false],
    ['ha-external', 'ha-external-healthy', 'lab up ha --etcd external', { min: 3, exact: true }, { min: 1, exact: true }, true],
  ] as const)(
    '%s: the recorded shape with external etcd, and the healthy lab passes every check',
    async (record, evidenceName, command, controlPlanes, workers, loadBalancer) => {
      const expectation = await inferExpectation(recordedEvidence(evidenceName).snapshot, recordedLab(record));
      expect(expectation).toMatchObject({ source: `the lab's record (${command})`, etcd: 'external', controlPlanes, workers, loadBalancer });
      expect(expectation.kubernetesVersion?.text).toBe('v1.34.4');
      // The evidence was recorded from a healthy lab of that shape: nothing may fail.
      expect(failed(runChecks(recordedEvidence(evidenceName), expectation))).toEqual([]);
    },
  );

  it.each([
    ['single-external-healthy', 'number of workers'],
    ['ha-external-healthy', 'number of control planes'],
  ])('the `external` built-in (1 control plane, 1+ workers) would fail healthy %s: the bug the record avoids', async (evidenceName, failing) => {
    const external = await loadExpectation('external');
    expect(failed(runChecks(recordedEvidence(evidenceName), external))).toContain(failing);
  });

  it('an unreadable spec label leaves the counts of the built-in of the recorded topology', async () => {
    const record = { ...recordedLab('ha-external'), controlPlanes: 0, workers: 0 };
    const expectation = await inferExpectation(recordedEvidence('ha-external-healthy').snapshot, record);
    expect(expectation).toMatchObject({ controlPlanes: { min: 3, exact: false }, workers: { min: 1, exact: false }, etcd: 'external' });
  });
});

describe('without a record (a cluster kindlab did not create): guessed from the containers, and the source says so', () => {
  it.each([
    ['single', 'single'],
    ['multi', 'multi'],
    ['ha', 'ha'],
  ] as const)('%s -> built-in %s with stacked etcd', async (topology, name) => {
    const snapshot = loadSnapshot(topology);
    expect(inferExpectationName(snapshot)).toBe(name);
    const expectation = await inferExpectation(snapshot, undefined);
    expect(expectation).toMatchObject({ etcd: 'stacked' });
    expect(expectation.source).toBe(
      `built-in expectation ${name} (guessed from the containers: ${snapshot.cluster} has no record of lab up, kindlab did not create it)`,
    );
  });

  it('multi with an external etcd container -> the external built-in (1 control plane)', async () => {
    const { snapshot } = recordedEvidence('external-plain-http');
    expect(await inferExpectation(snapshot, undefined)).toMatchObject({ etcd: 'external', controlPlanes: { min: 1, exact: true } });
  });

  it("ha with an external etcd container -> ha's node counts with etcd external, not the 1-control-plane external built-in", async () => {
    const { snapshot } = recordedEvidence('ha-external-healthy');
    const expectation = await inferExpectation(snapshot, undefined);
    expect(expectation).toMatchObject({ etcd: 'external', controlPlanes: { min: 3, exact: false }, loadBalancer: true });
    expect(expectation.source).toMatch(/^built-in expectation ha with external etcd \(guessed from the containers/);
  });
});
