import { describe } from 'vitest';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology multi (lab up multi: 1 control plane + 2 workers)', () => {
  const lab = useLiveLab({ topology: 'multi', name: 'e2e-multi' });
  registerLabUpChecks(lab);
});
