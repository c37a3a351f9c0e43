import { describe } from 'vitest';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology single (lab up single)', () => {
  const lab = useLiveLab({ topology: 'single', name: 'e2e-single' });
  registerLabUpChecks(lab);
});
