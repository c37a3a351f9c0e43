import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { LabCost } from '../capacity/lab-cost.js';
import { HOSTED_LAB_COMPONENT, LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL } from '../common/labels.js';

/** The port the lab's API listens on inside the pod (kind's apiServerPort there), and the Service's port. */
export const HOSTED_API_PORT = 6443;
export const HOSTED_CONTAINER = 'dind';

export interface HostedLabObjects {
  lab: string;
  runId: string;
  namespace: string;
  image: string;
  /** What an idle lab of this shape measurably costs (templates/capacity/lab-costs.json): the pod's requests. */
  cost: LabCost;
}

/** The pod's and the Service's name in the host cluster. */
export function hostedObjectName(lab: string): string {
  return `kindlab-${lab}`;
}

export function hostedLabels(lab: string, runId: string): Record<string, string> {
  return { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: HOSTED_LAB_COMPONENT, [LAB_RUN_LABEL]: runId };
}

/** Down and cleanup remove by this: the run's own objects, never another run's of the same name. */
export function hostedRunSelector(lab: string, runId: string): string {
  return Object.entries(hostedLabels(lab, runId))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Requests in the units the API takes: whole millicores and MiB, rounded up. */
export function hostedRequests(cost: LabCost): { cpu: string; memory: string } {
  return { cpu: `${Math.ceil(cost.cpuCores * 1000)}m`, memory: `${Math.ceil(cost.memoryBytes / 2 ** 20)}Mi` };
}

/**
 * The lab's pod: Docker in Docker, privileged (kind's nodes are privileged containers and run
 * systemd), /var/lib/docker on an emptyDir (overlayfs cannot stack on the container's own overlay
 * root), the node's /lib/modules for kube-proxy and the nodes. Requests are the idle lab's measured
 * cost, so the host cluster's scheduler spreads a room over its machines; no limits, since creation
 * briefly takes several times the idle cost. Ready means the daemon answers: the next step loads
 * images into it. It is never restarted: a restarted daemon would not bring kind's nodes back.
 */
export function hostedLabPod(objects: HostedLabObjects): V1Pod {
  const { cpu, memory } = hostedRequests(objects.cost);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: hostedObjectName(objects.lab),
      namespace: objects.namespace,
      labels: hostedLabels(objects.lab, objects.runId),
    },
    spec: {
      restartPolicy: 'Never',
      // The node's resolvers, not the host cluster's DNS Service: the lab's CoreDNS forwards to what the
      // pod uses, and a Service address such as 10.96.0.10 is the lab's own CoreDNS inside the lab (kind's
      // default service range), so CoreDNS found itself there and stopped ("plugin/loop: Loop detected").
      dnsPolicy: 'Default',
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 10,
      containers: [
        {
          name: HOSTED_CONTAINER,
          image: objects.image,
          imagePullPolicy: 'IfNotPresent',
          securityContext: { privileged: true },
          ports: [{ name: 'lab-api', containerPort: HOSTED_API_PORT, protocol: 'TCP' }],
          resources: { requests: { cpu, memory } },
          readinessProbe: { exec: { command: ['docker', 'version', '--format', '{{.Server.Version}}'] }, periodSeconds: 2, timeoutSeconds: 5 },
          volumeMounts: [
            { name: 'docker', mountPath: '/var/lib/docker' },
            { name: 'modules', mountPath: '/lib/modules', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'docker', emptyDir: {} },
        { name: 'modules', hostPath: { path: '/lib/modules', type: 'Directory' } },
      ],
    },
  };
}

/** The lab's API on every host node's address: a NodePort Service to the pod's port. */
export function hostedLabService(objects: Pick<HostedLabObjects, 'lab' | 'runId' | 'namespace'>): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: hostedObjectName(objects.lab), namespace: objects.namespace, labels: hostedLabels(objects.lab, objects.runId) },
    spec: {
      type: 'NodePort',
      selector: hostedLabels(objects.lab, objects.runId),
      ports: [{ name: 'lab-api', port: HOSTED_API_PORT, targetPort: HOSTED_API_PORT, protocol: 'TCP' }],
    },
  };
}
