import { describe } from 'vitest';
import { registerApiPathChecks } from './checks/api-path-checks.js';
import type { LiveLab } from './support/live-lab.js';
describe('dev', () => {
  registerApiPathChecks(() => ({ name: 'ha-dev', kubeconfigPath: '/work/helpers/api/tmp/kubeconfig', context: 'kind-ha-dev', controlPlanes: 1 }) as unknown as LiveLab);
});
