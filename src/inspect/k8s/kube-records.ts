import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from '../../kube/kube-api.js';
import { redactRecord } from '../redact-secrets.js';
import type { KubeNodeRecord, KubePodRecord } from '../snapshot.js';
import { compareText } from '../../common/compare-text.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** Annotations that repeat whole objects; they add nothing to a report and may carry data. */
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LENGTH = 400;

/** The API's view of the cluster as the snapshot keeps it: nodes by name, pods by namespace and name. */
export async function readKubernetesRecords(kube: KubeApi): Promise<{ nodes: KubeNodeRecord[]; pods: KubePodRecord[] }> {
  const [nodes, pods] = await Promise.all([kube.listNodes(), kube.list('pod')]);
  return {
    nodes: nodes.map(toNodeRecord).sort((a, b) => compareText(a.name, b.name)),
    pods: pods.map(toPodRecord).sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)),
  };
}

export function toNodeRecord(node: V1Node): KubeNodeRecord {
  const labels = node.metadata?.labels ?? {};
  const roles = Object.keys(labels)
    .filter((key) => key.startsWith(ROLE_PREFIX))
    .map((key) => key.slice(ROLE_PREFIX.length))
    .sort();
  const conditions = (node.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
  }));
  const ready = conditions.find((c) => c.type === 'Ready');
  const info = node.status?.nodeInfo;
  return {
    name: node.metadata?.name ?? '',
    roles,
    ready: ready?.status === 'True' ? 'Ready' : 'NotReady',
    conditions,
    kubeletVersion: info?.kubeletVersion ?? '',
    containerRuntimeVersion: info?.containerRuntimeVersion ?? '',
    osImage: info?.osImage ?? '',
    kernelVersion: info?.kernelVersion ?? '',
    addresses: (node.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
    createdAt: isoOf(node.metadata?.creationTimestamp),
    unschedulable: node.spec?.unschedulable === true,
  };
}

export function toPodRecord(pod: V1Pod): KubePodRecord {
  const annotations = pod.metadata?.annotations ?? {};
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const kept = Object.fromEntries(
    Object.entries(annotations)
      .filter(([key]) => !SKIPPED_ANNOTATIONS.has(key))
      .map(([key, value]) => [key, value.length > MAX_ANNOTATION_LENGTH ? `${value.slice(0, MAX_ANNOTATION_LENGTH)}…` : value]),
  );
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    static: owner?.kind === 'Node' || MIRROR_ANNOTATION in annotations,
    ...(owner?.kind ? { ownerKind: owner.kind } : {}),
    createdAt: isoOf(pod.metadata?.creationTimestamp),
    labels: redactRecord(pod.metadata?.labels ?? {}),
    annotations: redactRecord(kept),
    containers: (pod.spec?.containers ?? []).map((c) => {
      const status = statuses.get(c.name);
      const state = status?.state?.running ? 'running' : status?.state?.waiting ? 'waiting' : status?.state?.terminated ? 'terminated' : 'unknown';
      return {
        name: c.name,
        image: c.image ?? '',
        ready: status?.ready === true,
        restartCount: status?.restartCount ?? 0,
        state,
        ...(status?.containerID ? { containerId: status.containerID.replace(/^[a-z]+:\/\//, '') } : {}),
      };
    }),
  };
}

function isoOf(value: Date | string | undefined): string {
  if (!value) return '';
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
