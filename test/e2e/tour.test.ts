/**
 * Runs the tour checks on a cluster of their own, so they can be run alone:
 *   npx vitest run --project e2e test/e2e/tour.test.ts
 * KINDLAB_TOUR_TOPOLOGY=single|multi|ha and KINDLAB_TOUR_ETCD=external choose the topology (default multi).
 */
import { describe } from 'vitest';
import { registerTourChecks } from './checks/tour-checks.js';
import { useLiveLab, type Topology } from './support/live-lab.js';

const topology = (process.env.KINDLAB_TOUR_TOPOLOGY ?? 'multi') as Topology;
const etcd = process.env.KINDLAB_TOUR_ETCD === 'external' ? 'external' : 'stacked';

describe(`lab tour on ${topology} (${etcd} etcd)`, () => {
  const lab = useLiveLab({ topology, name: `tour-e2e-${topology}`, etcd, ...(topology === 'multi' ? { workers: 2 } : {}) });
  registerTourChecks(lab);
});
