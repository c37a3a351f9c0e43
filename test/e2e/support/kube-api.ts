import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { LiveLab } from './live-lab.js';

/** A client for the live lab, from the kubeconfig file `lab up` merged into (the same path a user's kubectl reads). */
export function coreApi(lab: LiveLab): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfigPath);
  kc.setCurrentContext(lab.context);
  return kc.makeApiClient(CoreV1Api);
}
