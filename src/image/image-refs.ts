/**
 * The image references kindlab works with. The offline ones are built here by `lab image build`;
 * the published ones are kind v0.30.0's defaults, used where a registry is reachable.
 */
export const KIND_VERSION = 'v0.30.0';
export const KUBERNETES_VERSION = 'v1.34.4';

/** Built by `lab image build` from Debian packages and the Go module proxy. */
export const OFFLINE_NODE_IMAGE = `kindlab/node:${KUBERNETES_VERSION}`;

/** kind v0.30.0's default node image (pkg/apis/config/defaults/image.go). */
export const PUBLISHED_NODE_IMAGE =
  'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a';

/** kind v0.30.0 runs this for HA (pkg/cluster/internal/loadbalancer/const.go); built offline from Debian's haproxy. */
export const LOAD_BALANCER_IMAGE = 'docker.io/kindest/haproxy:v20230606-42a2262b';

/** etcd for `--etcd external`: the same build that runs as a static pod inside the nodes. */
export const EXTERNAL_ETCD_IMAGE = 'kindlab/etcd:v3.6.5';
