import type { V1Pod } from '@kubernetes/client-node';
import { LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL, RUN_OWNER_ANNOTATION } from '../common/labels.js';
import { KUBE_PROXY_IMAGE } from '../image/image-refs.js';

/** kube-system: present on every cluster and, without Pod Security labels, allowed to run privileged pods. */
export const AGENT_NAMESPACE = 'kube-system';
export const AGENT_COMPONENT = 'node-agent';
export const AGENT_CONTAINER = 'agent';
/** Where the node's root file system is mounted in the agent; commands run under `chroot` into it. */
export const AGENT_HOST_ROOT = '/host';

/**
 * The default agent image: kube-proxy's, which `lab image build` preloads into kindlab's node image
 * (src/image/image-recipes.ts) and every kubeadm cluster already runs on every node. It is built on
 * debian-iptables, so it has coreutils `chroot` and `sleep`: everything else the agent runs is the
 * node's own (ps, crictl, ss, timeout), through the host root.
 */
export const DEFAULT_AGENT_IMAGE = KUBE_PROXY_IMAGE;

/**
 * How long an agent may live if kindlab is killed before it deletes it (SIGKILL, a crash): its
 * `sleep` then ends, the pod finishes and its processes are gone from the node.
 */
export const AGENT_LIFETIME_SECONDS = 600;

/** One run's agents: the lab's, of this run when runId is given. */
export function agentSelector(runId?: string): string {
  return `${LAB_COMPONENT_LABEL}=${AGENT_COMPONENT}${runId ? `,${LAB_RUN_LABEL}=${runId}` : ''}`;
}

/** What Kubernetes accepts as a label value. */
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

export interface AgentRun {
  lab: string;
  runId: string;
  image: string;
  /** RUN_OWNER_ANNOTATION value (src/common/run-owner.ts). */
  owner?: string;
}

/**
 * The pod that reads one node: pinned to it by nodeName (no scheduler, every taint tolerated), in
 * the node's PID and network namespaces (ps and ss see the node's processes and sockets),
 * privileged (crictl talks to containerd's socket, ps reads every /proc entry) with the node's root
 * mounted read-only at /host.
 */
export function agentPod(run: AgentRun, node: string, index: number): V1Pod {
  return {
    metadata: {
      name: `kindlab-agent-${run.runId}-${index}`,
      // A cluster not made by kindlab is named after its context, which need not be a valid label value.
      labels: { ...(LABEL_VALUE.test(run.lab) ? { [LAB_LABEL]: run.lab } : {}), [LAB_COMPONENT_LABEL]: AGENT_COMPONENT, [LAB_RUN_LABEL]: run.runId },
      ...(run.owner ? { annotations: { [RUN_OWNER_ANNOTATION]: run.owner } } : {}),
    },
    spec: {
      nodeName: node,
      hostPID: true,
      hostNetwork: true,
      tolerations: [{ operator: 'Exists' }],
      restartPolicy: 'Never',
      // Not 0: a pod whose grace period is 0 leaves the API at once on delete, before its kubelet has
      // stopped it; with 1 s the API lists it until its processes are gone (remove-agent-runs.ts).
      // sleep is no namespace's init here (hostPID), so SIGTERM ends it at once.
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [
        {
          name: AGENT_CONTAINER,
          image: run.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', String(AGENT_LIFETIME_SECONDS)],
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host', mountPath: AGENT_HOST_ROOT, readOnly: true }],
        },
      ],
      volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
    },
  };
}
