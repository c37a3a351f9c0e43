import type { V1PodSpec } from '@kubernetes/client-node';

/**
 * Pods the tour creates only need to run: the pause image is already in every node (it is the sandbox
 * image), so nothing is pulled, offline or not. `Never` makes a missing image fail fast and visibly.
 */
export function tourPodSpec(image: string): V1PodSpec {
  return {
    containers: [{ name: 'app', image, imagePullPolicy: 'Never' }],
    terminationGracePeriodSeconds: 1,
    automountServiceAccountToken: false,
  };
}
