import { readFileSync } from 'node:fs';
import type { LabStatus } from '../cluster/lab-status.js';
import { contextForLab } from '../cluster/kubeconfig-path.js';
import { summarizeNode } from '../cluster/kube-nodes.js';
import { DIND_IMAGE } from '../image/image-refs.js';
import type { KubeApi, KubeClientFactory } from '../kube/kube-api.js';
import { nodeCount } from '../topology/build-topology-spec.js';
import type { HostedLabRecord } from './hosted-lab-record.js';
import { HOSTED_LAB_COMPONENT } from '../common/labels.js';
import { compareText } from '../common/compare-text.js';

/**
 * A hosted lab as `lab list` and `lab status` show labs: its pod in the host cluster stands where a
 * local lab's containers stand, its nodes come from its own API. Either cluster not answering is a
 * state (degraded, incomplete) with the error, not a failure of the command.
 */
export async function hostedLabStatus(record: HostedLabRecord, host: KubeApi, connect: KubeClientFactory): Promise<LabStatus> {
  const [pod, nodes] = await Promise.all([
    host.read('pod', record.namespace, record.pod).then(
      (p) => ({ pod: p, error: undefined }),
      (error: unknown) => ({ pod: undefined, error: (error as Error).message }),
    ),
    Promise.resolve()
      .then(() => connect(readFileSync(record.kubeconfig, 'utf8')).listNodes())
      .then(
        (list) => ({ list: list.map(summarizeNode).sort((a, b) => compareText(a.name, b.name)), error: undefined }),
        (error: unknown) => ({ list: [], error: (error as Error).message }),
      ),
  ]);
  const expected = nodeCount(record);
  const podReady = pod.pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const allReady = nodes.list.length === expected && nodes.list.every((n) => n.status === 'Ready');
  return {
    name: record.name,
    managed: true,
    topology: record.topology,
    etcd: record.etcd,
    createdAt: record.createdAt,
    context: contextForLab(record.name),
    kubeconfig: record.mergedInto ?? record.kubeconfig,
    nodeImage: record.nodeImage,
    expectedNodes: expected,
    state: !pod.pod ? 'incomplete' : podReady && allReady ? 'running' : 'degraded',
    pool: undefined,
    participant: undefined,
    containers: pod.pod
      ? [
          {
            name: `${record.namespace}/${record.pod}`,
            role: HOSTED_LAB_COMPONENT,
            state: `${pod.pod.status?.phase ?? 'Unknown'}${podReady ? ', Ready' : ''} on ${pod.pod.spec?.nodeName ?? '?'}`,
            ip: pod.pod.status?.podIP ?? '',
            pinnedIp: '',
            image: pod.pod.spec?.containers?.[0]?.image ?? DIND_IMAGE,
          },
        ]
      : [],
    nodes: nodes.list,
    apiError: nodes.error,
    externalEtcd: undefined,
    addressNotice: `hosted in pod ${record.namespace}/${record.pod} of the host cluster ${record.host.server}${pod.error ? ` (not readable: ${pod.error})` : ''}; its API: ${record.server}`,
  };
}
