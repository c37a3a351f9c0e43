export const TOPOLOGY_KINDS = ['single', 'multi', 'ha'] as const;
export type TopologyKind = (typeof TOPOLOGY_KINDS)[number];

export const ETCD_MODES = ['stacked', 'external'] as const;
export type EtcdMode = (typeof ETCD_MODES)[number];

/** Component settings (templates/profiles/<name>.yaml); `default` is kind's and kubeadm's own. */
export const PROFILES = ['default', 'workshop'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** Where the node image comes from: decided before anything is created. */
export type NodeImageSource = 'flag' | 'offline' | 'published';

/** A validated, fully defaulted lab: everything `lab up` needs, nothing left to guess. */
export interface TopologySpec {
  kind: TopologyKind;
  name: string;
  controlPlanes: number;
  workers: number;
  etcd: EtcdMode;
  /** Set when the user chose an image (`--image`); otherwise resolved at `lab up` time. */
  image: string | undefined;
  /** Kubernetes version asked for with `--kubernetes-version` (e.g. v1.34.4). */
  kubernetesVersion: string | undefined;
  ports: PortMapping[];
  retain: boolean;
  /** One budget for both waits of `lab up` (nodes Ready, then kube-system pods Ready), in milliseconds. */
  waitMs: number;
  /** Explicit kubeconfig file; undefined means kind's default ($KUBECONFIG or ~/.kube/config). */
  kubeconfig: string | undefined;
  /** Component settings from templates/profiles/ (`--profile`); undefined means `default`. */
  profile?: ProfileName;
  /** `lab pool fill`: the pool this lab is made for (the dev.kindlab.pool label on its record). */
  pool?: string;
}

/** What a user may give, from flags or a lab.yaml file; validated into a TopologySpec. */
export interface TopologyInput {
  kind?: string;
  name?: string;
  controlPlanes?: number | string;
  workers?: number | string;
  etcd?: string;
  image?: string;
  kubernetesVersion?: string;
  ports?: Array<string | Partial<PortMapping>>;
  retain?: boolean;
  wait?: string | number;
  kubeconfig?: string;
  profile?: string;
}
