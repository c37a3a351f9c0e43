import { describe } from 'vitest';
import { registerContainerdTaskChecks } from './checks/containerd-task-checks.js';
import { registerDockerContextChecks } from './checks/docker-context-checks.js';
import { registerDockerSocketChecks } from './checks/docker-socket-checks.js';
import { registerInspectChecks } from './checks/inspect-checks.js';
import { registerLabUpChecks } from './checks/lab-up-checks.js';
import { registerServeChecks } from './checks/serve-checks.js';
import { registerStopStartChecks } from './checks/stop-start-checks.js';
import { registerTourChecks } from './checks/tour-checks.js';
import { registerTourServeChecks } from './checks/tour-serve-checks.js';
import { registerVerifyChecks, registerVerifyWithoutExpectCheck } from './checks/verify-checks.js';
import { useDockerContext } from './support/docker-context.js';
import { dockerSkipReason } from './support/lab-resources.js';
import { useLiveLab } from './support/live-lab.js';
import { e2eLabName } from './support/watch-lab.js';

// One cluster for the whole file: add a feature's checks with one `registerXChecks(lab)` line below.
describe.skipIf(dockerSkipReason() !== undefined)('topology single (lab up single)', () => {
  // This lab comes up through a Docker context (a throwaway DOCKER_CONFIG, no DOCKER_HOST), as on colima or rootless Docker.
  const context = useDockerContext();
  const lab = useLiveLab({ topology: 'single', name: e2eLabName('single'), env: () => context().env });
  registerDockerContextChecks(lab, context);
  registerDockerSocketChecks(lab, context);
  registerLabUpChecks(lab);
  registerInspectChecks(lab);
  registerContainerdTaskChecks(lab, context);
  registerServeChecks(lab);
  registerTourServeChecks(lab);
  registerTourChecks(lab);
  registerVerifyWithoutExpectCheck(lab);
  // Faults go last: every check above sees the healthy cluster.
  registerVerifyChecks(lab);
  // After the faults: stop and start the repaired lab (through the same Docker context), then verify it once more.
  registerStopStartChecks(lab, { env: () => context().env });
});
