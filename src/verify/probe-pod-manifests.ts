import type { V1Pod, V1PodSpec, V1Service } from '@kubernetes/client-node';
import { LAB_COMPONENT_LABEL, LAB_LABEL, LAB_RUN_LABEL, RUN_OWNER_ANNOTATION } from '../common/labels.js';

export const PROBE_NAMESPACE = 'default';
export const VERIFY_COMPONENT = 'verify';
export const PROBE_ROLE_LABEL = 'dev.kindlab.verify-role';
/**
 * The Service the probe pods resolve by its short name, so the pod's DNS search path is exercised too.
 * Each run gets its own name: CoreDNS caches answers for 30 s, and a Service recreated under the
 * same name right after the previous run gets a new ClusterIP the cache does not know yet.
 */
export function dnsTargetServiceName(runId: string): string {
  return `kindlab-verify-dns-${runId}`;
}
const ETCD_PORT = 2379;

/** One verify run: its objects carry its run id in names and labels, and it deletes only those. */
export interface ProbeRun {
  lab: string;
  runId: string;
  /** RUN_OWNER_ANNOTATION value (src/common/run-owner.ts); absent where the process cannot be identified. */
  owner?: string;
}

/** Every verify object of the lab (all runs) when runId is omitted, else only that run's. */
export function probeSelector(lab: string, runId?: string): string {
  return `${LAB_LABEL}=${lab},${LAB_COMPONENT_LABEL}=${VERIFY_COMPONENT}${runId ? `,${LAB_RUN_LABEL}=${runId}` : ''}`;
}

function metadata(run: ProbeRun, name: string, role: string): V1Pod['metadata'] {
  return {
    name,
    labels: { [LAB_LABEL]: run.lab, [LAB_COMPONENT_LABEL]: VERIFY_COMPONENT, [LAB_RUN_LABEL]: run.runId, [PROBE_ROLE_LABEL]: role },
    ...(run.owner ? { annotations: { [RUN_OWNER_ANNOTATION]: run.owner } } : {}),
  };
}

/*
 * Probe pods use the etcd image every node already holds (kubeadm's etcd image is preloaded in the
 * node image, offline and published alike). It has no shell and no nslookup, but etcdctl is a Go
 * client: `etcdctl --endpoints=http://<service>:2379 endpoint status` succeeds only if the name
 * resolves through cluster DNS and the Service routes to a pod. A throwaway single-member etcd is
 * the server behind that Service.
 */
export function dnsTargetPod(run: ProbeRun, image: string, node: string): V1Pod {
  const service = dnsTargetServiceName(run.runId);
  // On a control plane: a worker under test (stopped, say) must not take the DNS target down with it.
  return probePod(run, service, 'dns-target', node, {
    containers: [
      {
        name: 'etcd',
        image,
        imagePullPolicy: 'IfNotPresent',
        command: [
          '/usr/local/bin/etcd',
          '--name=verify',
          '--data-dir=/var/lib/verify-etcd',
          `--listen-client-urls=http://0.0.0.0:${ETCD_PORT}`,
          `--advertise-client-urls=http://${service}:${ETCD_PORT}`,
          '--listen-peer-urls=http://127.0.0.1:2380',
          '--initial-advertise-peer-urls=http://127.0.0.1:2380',
          '--initial-cluster=verify=http://127.0.0.1:2380',
        ],
        ports: [{ containerPort: ETCD_PORT, name: 'client' }],
        readinessProbe: { httpGet: { path: '/health', port: ETCD_PORT }, periodSeconds: 1 },
        volumeMounts: [{ name: 'data', mountPath: '/var/lib/verify-etcd' }],
      },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
  });
}

export function dnsTargetService(run: ProbeRun): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(run, dnsTargetServiceName(run.runId), 'dns-target'),
    spec: {
      // This run's target only: another verify of the same lab runs its own.
      selector: { [LAB_LABEL]: run.lab, [LAB_RUN_LABEL]: run.runId, [PROBE_ROLE_LABEL]: 'dns-target' },
      ports: [{ name: 'client', port: ETCD_PORT, targetPort: ETCD_PORT }],
    },
  };
}

/** The client of target node `index`; a second attempt (run-probe-pods.ts) is `-retry`. */
export function probePodName(runId: string, index: number, attempt: 1 | 2 = 1): string {
  return `kindlab-verify-${runId}-probe-${index}${attempt === 2 ? '-retry' : ''}`;
}

/** Pinned with a nodeSelector (not nodeName), so the scheduler has to place it: that is part of the check. */
export function clientPod(run: ProbeRun, image: string, node: string, index: number, attempt: 1 | 2 = 1): V1Pod {
  const service = dnsTargetServiceName(run.runId);
  return probePod(run, probePodName(run.runId, index, attempt), 'client', node, {
    containers: [
      {
        name: 'dns',
        image,
        imagePullPolicy: 'IfNotPresent',
        // `endpoint status`, not `endpoint health`: status is answered by the server itself, health needs a
        // raft commit, whose time is the node's disk's. Seen on a hosted lab right after it loaded its
        // 900 MB node image: the name resolved and the Service routed, and health still failed with
        // "failed to commit proposal: context deadline exceeded".
        command: ['/usr/local/bin/etcdctl', `--endpoints=http://${service}:${ETCD_PORT}`, '--dial-timeout=5s', '--command-timeout=10s', 'endpoint', 'status'],
      },
    ],
  });
}

/** A probe pod that runs once, on the given node (control planes included), and goes at once when deleted. */
function probePod(run: ProbeRun, name: string, role: string, node: string, spec: Pick<V1PodSpec, 'containers' | 'volumes'>): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadata(run, name, role),
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      ...spec,
    },
  };
}

export function dnsTargetName(service: string): string {
  return `${service} (${service}.${PROBE_NAMESPACE}.svc.cluster.local:${ETCD_PORT})`;
}
