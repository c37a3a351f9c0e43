/** The part of kind v0.30.0's v1alpha4 config kindlab renders (pkg/apis/config/v1alpha4/types.go). */
export interface KindPortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface KindMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
}

export interface KindNode {
  role: 'control-plane' | 'worker';
  image?: string;
  labels?: Record<string, string>;
  extraPortMappings?: KindPortMapping[];
  extraMounts?: KindMount[];
}

export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  networking?: { apiServerAddress?: string; apiServerPort?: number; podSubnet?: string; serviceSubnet?: string };
  kubeadmConfigPatches?: string[];
  containerdConfigPatches?: string[];
  nodes: KindNode[];
}
