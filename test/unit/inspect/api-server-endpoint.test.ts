import { describe, expect, it } from 'vitest';
import { apiServerAddress, apiServerEntry, API_SERVER_PORT_KEY } from '../../../src/inspect/api-server-endpoint.js';
import { groupByRole } from '../../../src/inspect/group-by-role.js';
import { loadSnapshot } from '../../fixtures/load-fixtures.js';

// Snapshots recorded from real labs (test/fixtures/README.md).
describe('the API server endpoint of a lab', () => {
  it('ha: the load balancer, which publishes 6443/tcp on the host', () => {
    const nodes = loadSnapshot('ha').nodes;
    const entry = apiServerEntry(nodes)!;
    expect(entry.role).toBe('external-load-balancer');
    expect(entry.container.ports[API_SERVER_PORT_KEY]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(apiServerAddress(entry.container.ipv4!)).toMatch(/^172\.\d+\.\d+\.\d+:6443$/);
  });

  it('multi: the control plane (or the one passed, e.g. the first running one)', () => {
    const nodes = loadSnapshot('multi').nodes;
    expect(apiServerEntry(nodes)?.role).toBe('control-plane');
    const worker = nodes.find((n) => n.role === 'worker')!;
    expect(
      apiServerEntry(
        nodes.filter((n) => n.role !== 'control-plane'),
        worker,
      ),
    ).toBe(worker);
  });
});

describe('groupByRole', () => {
  it('splits a recorded ha lab into its control planes, workers and load balancer', () => {
    const groups = groupByRole(loadSnapshot('ha').nodes);
    expect(groups.controlPlanes).toHaveLength(3);
    expect(groups.workers).toHaveLength(1);
    expect(groups.loadBalancer?.role).toBe('external-load-balancer');
    expect(groups.externalEtcd).toBeUndefined();
  });
});
