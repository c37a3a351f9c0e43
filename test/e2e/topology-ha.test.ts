import { describe } from 'vitest';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology ha (lab up ha: 3 control planes behind the load balancer + 1 worker)', () => {
  const lab = useLiveLab({ topology: 'ha', name: 'e2e-ha' });
  registerLabUpChecks(lab);
});
