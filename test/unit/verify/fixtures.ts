import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/common/paths.js';
import type { ClusterEvidence } from '../../../src/verify/cluster-evidence.js';

/** Evidence recorded from a real cluster with `lab verify --evidence-out` (see test/fixtures/verify/README.md). */
export function recordedEvidence(name: string): ClusterEvidence & { recordedWith: string } {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', `${name}.json`), 'utf8')) as ClusterEvidence & {
    recordedWith: string;
  };
}
