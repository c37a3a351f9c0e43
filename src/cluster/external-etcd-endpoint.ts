export const ETCD_CLIENT_PORT = 2379;

export function externalEtcdContainerName(lab: string): string {
  return `${lab}-external-etcd`;
}

/** What kubeadm puts in every apiserver's --etcd-servers: the container's DNS name on the kind network. */
export function externalEtcdEndpoint(lab: string): string {
  return `https://${externalEtcdContainerName(lab)}:${ETCD_CLIENT_PORT}`;
}
