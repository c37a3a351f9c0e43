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
/** Which process owns a run (host, boot, pid, start time), so a later run can tell a dead run's leftovers from a live one's. */
export const RUN_OWNER_ANNOTATION = 'dev.kindlab.run-owner';
/**
 * On `lab image build`'s build containers: the build's run id. Its own key, not LAB_RUN_LABEL: `docker
 * commit` copies container labels into the node image, so the commit blanks this one.
 */
export const IMAGE_BUILD_RUN_LABEL = 'dev.kindlab.image-build-run';
