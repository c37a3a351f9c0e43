import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLabList, formatLabStatus } from '../../../src/cluster/format-lab-status.js';
import type { LabStatus } from '../../../src/cluster/lab-status.js';

// `lab status --json` recorded from a real lab; see test/fixtures/lab-status/README.md.
const single = JSON.parse(readFileSync(new URL('../../fixtures/lab-status/single-status.json', import.meta.url), 'utf8')) as LabStatus;
const now = new Date('2026-11-26T13:05:47.478Z');

describe('formatLabStatus', () => {
  it('shows the lab and a kubectl-get-nodes-wide table', () => {
    const text = formatLabStatus(single, now);
    expect(text).toContain('topology:   single');
    expect(text).toContain('context:    kind-dev-single in /tmp/kl/kubeconfig');
    expect(text).toMatch(/^NODE\s+ROLE\s+STATUS\s+VERSION\s+INTERNAL-IP\s+AGE$/m);
    expect(text).toMatch(/^dev-single-control-plane\s+control-plane\s+Ready\s+v1\.34\.4\s+172\.18\.0\.5\s+9m40s$/m);
  });

  it('says why nodes are missing when the API is down', () => {
    const text = formatLabStatus({ ...single, nodes: [], apiError: 'connect ECONNREFUSED 127.0.0.1:1' }, now);
    expect(text).toContain('nodes: not available from the Kubernetes API (connect ECONNREFUSED 127.0.0.1:1)');
  });
});

describe('formatLabList', () => {
  it('one row per lab', () => {
    expect(formatLabList([single], now).split('\n')[1]).toMatch(/^dev-single\s+single\s+stacked\s+running\s+1\/1 Ready\s+kind-dev-single\s+10m$/);
    expect(formatLabList([], now)).toMatch(/no labs/);
  });

  it('ages as kubectl prints them (9m40s for the node above, 10m for the lab)', () => {
    const text = formatLabList(
      [
        { ...single, createdAt: '2026-11-26T11:00:47.478Z' },
        { ...single, name: 'other', createdAt: '' },
      ],
      now,
    );
    expect(text.split('\n')[1]).toMatch(/\s125m$/);
    expect(text.split('\n')[2]).toMatch(/\s<unknown>$/);
  });
});
