import type { BuildStage } from './build-stages.js';
import {
  CNI_IMAGE,
  COREDNS_IMAGE,
  DEBIAN_DIND_IMAGE,
  DEBIAN_HAPROXY_IMAGE,
  DIND_IMAGE,
  DEBIAN_IPTABLES_IMAGE,
  ETCD_IMAGE,
  EXTERNAL_ETCD_IMAGE,
  KUBE_APISERVER_IMAGE,
  KUBE_CONTROLLER_MANAGER_IMAGE,
  KUBE_PROXY_IMAGE,
  KUBE_SCHEDULER_IMAGE,
  KIND_VERSION,
  KUBERNETES_VERSION,
  LOAD_BALANCER_IMAGE,
  NODE_BASE_IMAGE,
  NODE_STAGING_IMAGE,
  OFFLINE_NODE_IMAGE,
  PAUSE_IMAGE,
} from './image-refs.js';

const [, KUBE_MAJOR = '1', KUBE_MINOR = '34'] = /^v(\d+)\.(\d+)/.exec(KUBERNETES_VERSION) ?? [];

/**
 * What k/k's hack/lib/version.sh stamps: kubeadm needs gitMajor/gitMinor for its version skew
 * logic, `kubectl version` shows gitVersion. buildDate is fixed so rebuilds are reproducible.
 */
export function kubernetesLdflags(version: string = KUBERNETES_VERSION): string {
  const values: [string, string][] = [
    ['gitVersion', version],
    ['gitMajor', KUBE_MAJOR],
    ['gitMinor', KUBE_MINOR],
    ['gitTreeState', 'clean'],
    ['buildDate', '2026-01-01T00:00:00Z'],
  ];
  const stamp = (pkg: string) => values.map(([key, value]) => `-X ${pkg}.${key}=${value}`);
  return ['-s', '-w', ...stamp('k8s.io/component-base/version'), ...stamp('k8s.io/client-go/pkg/version')].join(' ');
}

const STATIC_KUBE_COMMANDS = ['kubeadm', 'kubectl', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

const DEBIAN_MINIMAL_FINALIZE = 'debian-minimal/finalize-rootfs.sh';

/**
 * Every stage of `lab image build`, in build order. Recipes live under images/; outputs under
 * kindlabHome(). Go stages and root file systems do not depend on each other, so the two
 * groups can run side by side. Kubernetes comes last among the Go stages so the small builds
 * finish (and fail) early.
 */
export const BUILD_STAGES: readonly BuildStage[] = [
  {
    kind: 'go',
    name: 'etcd',
    title: 'etcd v3.6.5 and etcdctl',
    moduleDir: 'etcd',
    groups: [{ packages: ['go.etcd.io/etcd/server/v3', 'go.etcd.io/etcd/etcdctl/v3'], cgo: false }],
    tags: [],
    ldflags: '-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=a0614505',
    renames: { server: 'etcd' },
  },
  {
    kind: 'go',
    name: 'coredns',
    title: 'CoreDNS v1.12.1',
    moduleDir: 'coredns',
    groups: [{ packages: ['github.com/coredns/coredns'], cgo: false }],
    tags: [],
    ldflags: '-s -w -X github.com/coredns/coredns/coremain.GitCommit=707c7c1',
  },
  {
    kind: 'go',
    name: 'crictl',
    title: 'crictl v1.34.0',
    moduleDir: 'crictl',
    groups: [{ packages: ['sigs.k8s.io/cri-tools/cmd/crictl'], cgo: false }],
    tags: [],
    ldflags: '-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=v1.34.0',
  },
  {
    kind: 'go',
    name: 'flannel',
    title: 'flannel v0.27.4',
    moduleDir: 'flannel',
    // The udp backend's proxy is C; upstream builds flanneld with cgo too. It runs on the Debian base.
    groups: [{ packages: ['github.com/flannel-io/flannel'], cgo: true }],
    tags: [],
    ldflags: '-s -w -X github.com/flannel-io/flannel/pkg/version.Version=v0.27.4',
    renames: { flannel: 'flanneld' },
  },
  {
    kind: 'go',
    name: 'pause',
    title: 'pause (our own)',
    moduleDir: 'pause',
    groups: [{ packages: ['.'], cgo: false }],
    tags: [],
    ldflags: '-s -w -X main.version=v3.10.1-kindlab',
  },
  {
    kind: 'go',
    name: 'kind',
    title: `kind ${KIND_VERSION} (for hosted labs' pods)`,
    moduleDir: 'kind',
    groups: [{ packages: ['sigs.k8s.io/kind'], cgo: false }],
    tags: [],
    ldflags: '-s -w',
  },
  {
    kind: 'go',
    name: 'runtime-capfilter',
    title: "kindlab-runc runtime wrapper (for hosted labs' pods)",
    moduleDir: 'runtime-capfilter',
    groups: [{ packages: ['.'], cgo: false }],
    tags: [],
    ldflags: '-s -w',
  },
  {
    kind: 'go',
    name: 'kubernetes',
    title: `Kubernetes ${KUBERNETES_VERSION} binaries`,
    moduleDir: 'kubernetes',
    // The same flags as k/k's release build; kubelet keeps cgo in 1.34 (static only from 1.36).
    groups: [
      { packages: STATIC_KUBE_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}`), cgo: false },
      { packages: ['k8s.io/kubernetes/cmd/kubelet'], cgo: true },
    ],
    tags: ['selinux', 'notest'],
    ldflags: kubernetesLdflags(),
  },
  {
    kind: 'rootfs',
    name: 'node-base',
    title: 'Debian bookworm node root file system',
    ref: NODE_BASE_IMAGE,
    suite: 'bookworm',
    packagesFile: 'node-base/packages.txt',
    overlayDir: 'node-base/rootfs',
    finalizeScript: 'node-base/finalize-rootfs.sh',
    importChanges: ['ENV container=docker', 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]'],
  },
  {
    kind: 'rootfs',
    name: 'debian-iptables',
    title: 'Debian iptables userland',
    ref: DEBIAN_IPTABLES_IMAGE,
    suite: 'bookworm',
    packagesFile: 'debian-iptables/packages.txt',
    overlayDir: 'debian-iptables/rootfs',
    finalizeScript: DEBIAN_MINIMAL_FINALIZE,
    importChanges: ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  },
  {
    kind: 'rootfs',
    name: 'debian-haproxy',
    title: 'Debian haproxy',
    ref: DEBIAN_HAPROXY_IMAGE,
    suite: 'bookworm',
    packagesFile: 'debian-haproxy/packages.txt',
    finalizeScript: DEBIAN_MINIMAL_FINALIZE,
    importChanges: ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  },
  {
    kind: 'rootfs',
    name: 'debian-dind',
    title: 'Debian Docker daemon',
    ref: DEBIAN_DIND_IMAGE,
    suite: 'bookworm',
    packagesFile: 'debian-dind/packages.txt',
    finalizeScript: DEBIAN_MINIMAL_FINALIZE,
    importChanges: ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  },
  ...(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const).map((name): BuildStage => ({
    kind: 'image',
    name,
    title: name,
    refs: [{ 'kube-apiserver': KUBE_APISERVER_IMAGE, 'kube-controller-manager': KUBE_CONTROLLER_MANAGER_IMAGE, 'kube-scheduler': KUBE_SCHEDULER_IMAGE }[name]],
    recipeDir: name,
    contextFiles: [],
    binaries: [{ stage: 'kubernetes', file: name }],
    kubernetesVersion: KUBERNETES_VERSION,
  })),
  {
    kind: 'image',
    name: 'kube-proxy',
    title: 'kube-proxy',
    refs: [KUBE_PROXY_IMAGE],
    recipeDir: 'kube-proxy',
    contextFiles: [],
    binaries: [{ stage: 'kubernetes', file: 'kube-proxy' }],
    base: 'debian-iptables',
    kubernetesVersion: KUBERNETES_VERSION,
  },
  {
    kind: 'image',
    name: 'etcd-image',
    title: 'etcd image',
    refs: [ETCD_IMAGE, EXTERNAL_ETCD_IMAGE],
    recipeDir: 'etcd',
    contextFiles: [],
    binaries: [
      { stage: 'etcd', file: 'etcd' },
      { stage: 'etcd', file: 'etcdctl' },
    ],
  },
  {
    kind: 'image',
    name: 'coredns-image',
    title: 'CoreDNS image',
    refs: [COREDNS_IMAGE],
    recipeDir: 'coredns',
    contextFiles: [],
    binaries: [{ stage: 'coredns', file: 'coredns' }],
  },
  {
    kind: 'image',
    name: 'pause-image',
    title: 'pause image',
    refs: [PAUSE_IMAGE],
    recipeDir: 'pause',
    contextFiles: [],
    binaries: [{ stage: 'pause', file: 'pause' }],
  },
  {
    kind: 'image',
    name: 'flannel-image',
    title: 'flannel CNI image',
    refs: [CNI_IMAGE],
    recipeDir: 'flannel',
    contextFiles: ['kindlab-flannel-start'],
    binaries: [{ stage: 'flannel', file: 'flanneld' }],
    base: 'debian-iptables',
  },
  {
    kind: 'image',
    name: 'haproxy',
    title: 'HA load balancer (haproxy)',
    refs: [LOAD_BALANCER_IMAGE],
    recipeDir: 'haproxy',
    contextFiles: ['haproxy.cfg', 'kindlab.cfg'],
    binaries: [],
    base: 'debian-haproxy',
  },
  {
    kind: 'image',
    name: 'dind',
    title: 'hosted lab pod (Docker in Docker)',
    refs: [DIND_IMAGE],
    recipeDir: 'dind',
    contextFiles: ['daemon.json', 'kindlab-dind-start'],
    binaries: [
      { stage: 'kind', file: 'kind' },
      { stage: 'runtime-capfilter', file: 'runtime-capfilter' },
    ],
    base: 'debian-dind',
  },
  {
    kind: 'image',
    name: 'node-staging',
    title: 'node image (binaries)',
    refs: [NODE_STAGING_IMAGE],
    recipeDir: 'node',
    contextFiles: ['default-cni.yaml'],
    binaries: [
      { stage: 'kubernetes', file: 'kubeadm' },
      { stage: 'kubernetes', file: 'kubelet' },
      { stage: 'kubernetes', file: 'kubectl' },
      { stage: 'crictl', file: 'crictl' },
    ],
    generatedFiles: { version: `${KUBERNETES_VERSION}\n` },
    base: 'node-base',
    kubernetesVersion: KUBERNETES_VERSION,
  },
  {
    kind: 'node',
    name: 'node',
    title: `node image ${OFFLINE_NODE_IMAGE}`,
    ref: OFFLINE_NODE_IMAGE,
    base: 'node-staging',
    preload: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd-image', 'coredns-image', 'pause-image', 'flannel-image'],
    kubernetesVersion: KUBERNETES_VERSION,
  },
];

export function findStage(stages: readonly BuildStage[], name: string): BuildStage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`unknown build stage ${name}`);
  return stage;
}
