import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/common/paths.js';
import { parseHaproxyBackends } from '../../../src/inspect/parse-haproxy-config.js';

// Recorded from a real ha lab: test/fixtures/verify/README.md says how.
const raw = (name: string) => readFileSync(join(projectRoot(), 'test', 'fixtures', 'verify', 'raw', name), 'utf8');

describe('parseHaproxyBackends', () => {
  it("lists the servers of kind's load balancer config", () => {
    expect(parseHaproxyBackends(raw('ha-haproxy.cfg'))).toEqual([
      { name: 'verify-ha-control-plane', address: 'verify-ha-control-plane:6443' },
      { name: 'verify-ha-control-plane2', address: 'verify-ha-control-plane2:6443' },
      { name: 'verify-ha-control-plane3', address: 'verify-ha-control-plane3:6443' },
    ]);
  });
});
