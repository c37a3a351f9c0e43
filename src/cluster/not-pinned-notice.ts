/**
 * What `lab up`, `lab stop` and `lab status` say when a lab's addresses are not pinned because
 * Docker refuses `--ip` on the kind network (network-takes-ip.ts). Single and one-control-plane labs
 * still come back after a restart: kind's entrypoint rewrites a node's new address into its
 * manifests and certificates (kind v0.8, v0.15). Several control planes cannot be promised: the
 * etcd members keep each other's old peer addresses (kind#1689).
 */
export function notPinnedNotice(refusal: string, controlPlanes: number): string {
  const consequence =
    controlPlanes > 1
      ? `a lab with ${controlPlanes} control planes may not come back after \`lab stop\`/\`lab start\` or a Docker restart (kind#1689: etcd peers keep their old addresses)`
      : "it still comes back after `lab stop`/`lab start` or a Docker restart (kind rewrites a single control plane's address)";
  return `addresses not pinned: Docker refuses --ip on network kind (${refusal}); ${consequence}`;
}
