import { describe } from 'vitest';
import { registerExternalEtcdChecks } from './checks/external-etcd-checks.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { registerTourChecks } from './checks/tour-checks.js';
import { registerStopStartChecks } from './checks/stop-start-checks.js';
import { registerVerifyChecks, registerVerifyWithoutExpectCheck } from './checks/verify-checks.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useBackgroundLiveLab, useLiveLab } from './support/live-lab.js';
import { e2eLabName } from './support/watch-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
// ha with external etcd is the topology that needs the etcd CA copied between control planes by kind.
describe.skipIf(dockerSkipReason() !== undefined)('topology ha with external etcd (lab up ha --etcd external: 3 control planes + 1 worker)', () => {
  // A second, single-node lab, created while the ha lab comes up: the "another lab" whose pods must
  // not be able to read this lab's etcd over the shared kind network.
  const other = useBackgroundLiveLab({ topology: 'single', name: e2eLabName('etcd-other') });
  const lab = useLiveLab({ topology: 'ha', name: e2eLabName('etcd'), etcd: 'external' });
  registerLabUpChecks(lab);
  registerExternalEtcdChecks(lab, { otherLab: other });
  registerInspectChecks(lab);
  registerTourChecks(lab);
  registerVerifyWithoutExpectCheck(lab);
  // Faults go last: every check above sees the healthy cluster.
  registerVerifyChecks(lab);
  // After the faults: stop and start the repaired lab, then verify it once more.
  registerStopStartChecks(lab);
});
