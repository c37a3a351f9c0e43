/**
 * The image references kindlab works with. The offline ones are built here by `lab image build`;
 * the published ones are kind v0.30.0's defaults, used where a registry is reachable.
 */
export const KIND_VERSION = 'v0.30.0';
export const KUBERNETES_VERSION = 'v1.34.4';

/** Built by `lab image build` from Debian packages and the Go module proxy. */
export const OFFLINE_NODE_IMAGE = `kindlab/node:${KUBERNETES_VERSION}`;

/** kind v0.30.0's default node image (pkg/apis/config/defaults/image.go). */
export const PUBLISHED_NODE_IMAGE = 'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a';

/** kind v0.30.0 runs this for HA (pkg/cluster/internal/loadbalancer/const.go); built offline from Debian's haproxy. */
export const LOAD_BALANCER_IMAGE = 'docker.io/kindest/haproxy:v20230606-42a2262b';

/** etcd for `--etcd external`: the same build that runs as a static pod inside the nodes. */
export const EXTERNAL_ETCD_IMAGE = 'kindlab/etcd:v3.6.5';

/**
 * What `kubeadm config images list --kubernetes-version v1.34.4` prints: the node must hold
 * exactly these, since kind skips kubeadm's preflight (which would pull them).
 */
export const KUBE_APISERVER_IMAGE = `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`;
export const KUBE_CONTROLLER_MANAGER_IMAGE = `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`;
export const KUBE_SCHEDULER_IMAGE = `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`;
export const KUBE_PROXY_IMAGE = `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`;
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';
/** Also the containerd sandbox_image in images/node-base/rootfs/etc/containerd/config.toml. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.6.5-0';

/**
 * The CNI daemon named in images/node/default-cni.yaml. kind's kindnetd module is not served by
 * the Go module proxy, so the node runs flannel instead.
 */
export const CNI_IMAGE = 'docker.io/kindlab/flannel:v0.27.4';

/** Intermediate images: Debian root file systems and the node before its images are pre-imported. */
export const NODE_BASE_IMAGE = 'kindlab/node-base:bookworm';
export const DEBIAN_IPTABLES_IMAGE = 'kindlab/debian-iptables:bookworm';
export const DEBIAN_HAPROXY_IMAGE = 'kindlab/debian-haproxy:bookworm';
export const NODE_STAGING_IMAGE = `kindlab/node-staging:${KUBERNETES_VERSION}`;
export const DEBIAN_DIND_IMAGE = 'kindlab/debian-dind:bookworm';

/** A hosted lab's pod (`lab up --host-cluster`): Debian's Docker, kindlab's runtime wrapper and kind. */
export const DIND_IMAGE = `kindlab/dind:${KIND_VERSION}`;
