/** kind's own labels: resources are found by these, never by parsing names. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

/** Everything kindlab creates (external etcd, helper containers, Kubernetes objects) carries these. */
export const LAB_LABEL = 'dev.kindlab.lab';
export const LAB_TOPOLOGY_LABEL = 'dev.kindlab.topology';
export const LAB_ETCD_MODE_LABEL = 'dev.kindlab.etcd';
export const LAB_COMPONENT_LABEL = 'dev.kindlab.component';
/** Images built by `lab image build` carry the content hash of their recipe. */
export const IMAGE_RECIPE_HASH_LABEL = 'dev.kindlab.recipe-hash';
export const IMAGE_KUBERNETES_VERSION_LABEL = 'dev.kindlab.kubernetes-version';
/**
 * The run (one `lab up`, `lab verify`, `lab tour`, ...) that created a Docker resource or Kubernetes
 * object (random per run). Cleanup after a failed or interrupted run removes exactly what carries its
 * run id, never by name.
 */
export const LAB_RUN_LABEL = 'dev.kindlab.run';
/**
 * On a lab's node, load balancer and external etcd: the IPv4 address `lab up` pinned it to on the kind
 * network (`docker run --ip`), recorded so `lab start` and `lab status` can tell it kept it.
 */
export const LAB_ADDRESS_LABEL = 'dev.kindlab.address';
/** Which process owns a run (host, boot, pid, start time), so a later run can tell a dead run's leftovers from a live one's. */
export const RUN_OWNER_ANNOTATION = 'dev.kindlab.run-owner';
/**
 * On `lab image build`'s build containers: the build's run id. Its own key, not LAB_RUN_LABEL: `docker
 * commit` copies container labels into the node image, so the commit blanks this one.
 */
export const IMAGE_BUILD_RUN_LABEL = 'dev.kindlab.image-build-run';

/** What a lab's Docker object is (dev.kindlab.component): one place for every component name. */
export const CLAIM_COMPONENT = 'claim';
export const METADATA_COMPONENT = 'metadata';
export const ETCD_COMPONENT = 'etcd';
/** The never-started container that records who a pool lab was handed to (src/cluster/claim-pool-lab.ts). */
export const PARTICIPANT_COMPONENT = 'participant';
/** The throwaway container that asks Docker whether the kind network takes `--ip` (src/cluster/network-takes-ip.ts); it carries no dev.kindlab.lab. */
export const IP_PROBE_COMPONENT = 'ip-probe';
/** The throwaway network that asks Docker which IPv4 subnet it would give next (src/cluster/ensure-kind-network.ts). */
export const SUBNET_PROBE_COMPONENT = 'subnet-probe';
/**
 * On the kind network when kindlab created it with its IPv4 subnet given (`given`): Docker then takes
 * `--ip` on it, so nobody needs to ask (src/cluster/network-takes-ip.ts). Inspect cannot tell a given
 * subnet from one Docker picked itself.
 */
export const IPV4_SUBNET_LABEL = 'dev.kindlab.ipv4-subnet';
/** The PKI volume and the throwaway kubeadm containers (not `etcd`: inspect takes that for the etcd server). */
export const ETCD_PKI_COMPONENT = 'etcd-pki';

/** On the lab's claim container (src/cluster/lab-claim.ts): when the run took the name. */
export const LAB_CLAIMED_AT_LABEL = 'dev.kindlab.claimed-at';
/** On the lab's metadata volume (src/cluster/lab-metadata.ts): what `lab up` was asked for. */
export const LAB_CREATED_AT_LABEL = 'dev.kindlab.created-at';
export const LAB_KUBECONFIG_LABEL = 'dev.kindlab.kubeconfig';
export const LAB_NODE_IMAGE_LABEL = 'dev.kindlab.node-image';
export const LAB_SPEC_LABEL = 'dev.kindlab.spec';
/**
 * On the lab's metadata volume: the --prefix of the `lab up --count/--participants` that created it,
 * so `lab down --prefix` removes exactly that room's labs by label, never by matching names.
 */
export const LAB_ROOM_LABEL = 'dev.kindlab.room';

/**
 * On a pool lab's metadata volume (`lab pool fill`): the pool it belongs to. Pool labs are found,
 * claimed and removed by this label.
 */
export const LAB_POOL_LABEL = 'dev.kindlab.pool';
/** On a pool lab's participant container (`lab claim NAME`): the participant it was handed to. */
export const LAB_PARTICIPANT_LABEL = 'dev.kindlab.participant';
/** On a lab's metadata volume: the component profile it was created with (templates/profiles/). */
export const LAB_PROFILE_LABEL = 'dev.kindlab.profile';

/** On a hosted lab's pod and Service in its host cluster (`lab up --host-cluster`), with LAB_LABEL and LAB_RUN_LABEL. */
export const HOSTED_LAB_COMPONENT = 'hosted-lab';

/** The labels of a lab's Docker object of one component. */
export function labComponentLabels(lab: string, component: string): Record<string, string> {
  return { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: component };
}

/** `--label key=value` arguments for docker run/create/volume create, in the order given. */
export function dockerLabelArgs(labels: Record<string, string>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}
