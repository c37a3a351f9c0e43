import { EXTERNAL_ETCDCTL_TLS } from '../cluster/external-etcd.js';

/** kubeadm's stacked etcd: TLS with the etcd CA; the healthcheck client certificate sits in the etcd pod's mount. */
const STACKED_ETCDCTL_TLS: readonly string[] = [
  '--endpoints=https://127.0.0.1:2379',
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
  '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key',
];

/**
 * `crictl ps` for the id of a control plane's running stacked etcd: the kube-system static pod's
 * container, not any container named etcd (verify's own DNS target runs one, in `default`).
 */
export const STACKED_ETCD_CONTAINER_ARGV: readonly string[] = [
  'crictl',
  'ps',
  '--name',
  '^etcd$',
  '--label',
  'io.kubernetes.pod.namespace=kube-system',
  '--state',
  'Running',
  '--quiet',
];

/** Where etcdctl runs: in the stacked etcd's container on a control plane, or in the lab's external etcd container. */
export type EtcdctlTarget = { stackedContainerId: string } | { external: true };

/**
 * The argv, run in the node, of `etcdctl <args>` against the lab's etcd: through `crictl exec`
 * into the etcd static pod (stacked), or directly in the external etcd container.
 */
export function etcdctlArgv(target: EtcdctlTarget, args: readonly string[]): string[] {
  if ('external' in target) return ['etcdctl', ...EXTERNAL_ETCDCTL_TLS, ...args];
  return ['crictl', 'exec', target.stackedContainerId, 'etcdctl', ...STACKED_ETCDCTL_TLS, ...args];
}
