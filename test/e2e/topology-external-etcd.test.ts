import { describe } from 'vitest';
import { registerExternalEtcdChecks } from './checks/external-etcd-checks.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { registerTourChecks } from './checks/tour-checks.js';
import { registerVerifyChecks } from './checks/verify-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology multi with external etcd (lab up multi --etcd external)', () => {
  const lab = useLiveLab({ topology: 'multi', name: 'e2e-etcd', etcd: 'external' });
  registerLabUpChecks(lab);
  registerExternalEtcdChecks(lab);
  registerInspectChecks(lab);
  registerTourChecks(lab);
  // Faults go last: every check above sees the healthy cluster.
  registerVerifyChecks(lab);
});
