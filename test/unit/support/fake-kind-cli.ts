import type { KindCli } from '../../../src/cluster/kind-cli.js';

/** A kind that creates and deletes nothing and answers `kind get kubeconfig` with `kubeconfig`. */
export function fakeKindCli(kubeconfig = 'apiVersion: v1\n'): KindCli {
  return {
    path: 'kind',
    version: async () => '',
    createCluster: async () => undefined,
    deleteCluster: async () => undefined,
    getKubeconfig: async () => kubeconfig,
  };
}
