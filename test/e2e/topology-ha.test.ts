import { describe } from 'vitest';
import { registerApiPathChecks } from './checks/api-path-checks.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import { registerServeChecks } from './checks/serve-checks.js';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { registerTourChecks } from './checks/tour-checks.js';
import { registerStopStartChecks } from './checks/stop-start-checks.js';
import { registerVerifyChecks, registerVerifyWithoutExpectCheck } from './checks/verify-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';
import { e2eLabName } from './support/watch-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology ha (lab up ha: 3 control planes behind the load balancer + 1 worker)', () => {
  const lab = useLiveLab({ topology: 'ha', name: e2eLabName('ha') });
  registerLabUpChecks(lab);
  registerInspectChecks(lab);
  registerServeChecks(lab);
  registerTourChecks(lab);
  registerVerifyWithoutExpectCheck(lab);
  registerApiPathChecks(lab);
  // Faults go last: every check above sees the healthy cluster.
  registerVerifyChecks(lab, { faults: ['etcd-member'] });
  // After the faults: stop and start the repaired lab, then verify it once more.
  registerStopStartChecks(lab);
});
