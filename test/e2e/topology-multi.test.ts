import { describe } from 'vitest';
import { registerApiPathChecks } from './checks/api-path-checks.js';
import { registerHostedLabChecks } from './checks/hosted-lab-checks.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import { registerServeChecks } from './checks/serve-checks.js';
import { registerSuspendResumeChecks } from './checks/suspend-resume-checks.js';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { registerTourChecks } from './checks/tour-checks.js';
import { registerStopStartChecks } from './checks/stop-start-checks.js';
import { registerVerifyChecks, registerVerifyWithoutExpectCheck } from './checks/verify-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';
import { e2eLabName } from './support/watch-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology multi (lab up multi: 1 control plane + 2 workers)', () => {
  const lab = useLiveLab({ topology: 'multi', name: e2eLabName('multi') });
  registerLabUpChecks(lab);
  registerInspectChecks(lab);
  registerServeChecks(lab);
  registerTourChecks(lab, { handout: true, interrupt: true });
  registerVerifyWithoutExpectCheck(lab);
  registerSuspendResumeChecks(lab);
  registerApiPathChecks(lab);
  registerHostedLabChecks(lab);
  // Faults go last: every check above sees the healthy cluster.
  registerVerifyChecks(lab, { faults: ['scheduler', 'worker'] });
  // After the faults: stop and start the repaired lab, then verify it once more.
  registerStopStartChecks(lab);
});
