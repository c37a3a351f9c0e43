import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { LAB_COMPONENT_LABEL, LAB_LABEL } from '../common/labels.js';

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

export function probeSelector(lab: string): string {
  return `${LAB_LABEL}=${lab},${LAB_COMPONENT_LABEL}=${VERIFY_COMPONENT}`;
}

function labels(lab: string, role: string): Record<string, string> {
  return { [LAB_LABEL]: lab, [LAB_COMPONENT_LABEL]: VERIFY_COMPONENT, [PROBE_ROLE_LABEL]: role };
}

/*
 * Probe pods use the etcd image every node already holds (kubeadm's etcd image is preloaded in the
 * node image, offline and published alike). It has no shell and no nslookup, but etcdctl is a Go
 * client: `etcdctl --endpoints=http://<service>:2379 endpoint health` succeeds only if the name
 * resolves through cluster DNS and the Service routes to a pod. A throwaway single-member etcd is
 * the server behind that Service.
 */
export function dnsTargetPod(lab: string, image: string, node: string, service: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: service, labels: labels(lab, 'dns-target') },
    spec: {
      restartPolicy: 'Never',
      // On a control plane: a worker under test (stopped, say) must not take the DNS target down with it.
      nodeSelector: { 'kubernetes.io/hostname': node },
      terminationGracePeriodSeconds: 0,
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
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
    },
  };
}

export function dnsTargetService(lab: string, service: string): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service, labels: labels(lab, 'dns-target') },
    spec: {
      selector: { [LAB_LABEL]: lab, [PROBE_ROLE_LABEL]: 'dns-target' },
      ports: [{ name: 'client', port: ETCD_PORT, targetPort: ETCD_PORT }],
    },
  };
}

export function probePodName(index: number): string {
  return `kindlab-verify-probe-${index}`;
}

/** Pinned with a nodeSelector (not nodeName), so the scheduler has to place it: that is part of the check. */
export function clientPod(lab: string, image: string, node: string, index: number, service: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: probePodName(index), labels: labels(lab, 'client') },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        {
          name: 'dns',
          image,
          imagePullPolicy: 'IfNotPresent',
          command: [
            '/usr/local/bin/etcdctl',
            `--endpoints=http://${service}:${ETCD_PORT}`,
            '--dial-timeout=5s',
            '--command-timeout=10s',
            'endpoint',
            'health',
          ],
        },
      ],
    },
  };
}

export function dnsTargetName(service: string): string {
  return `${service} (${service}.${PROBE_NAMESPACE}.svc.cluster.local:${ETCD_PORT})`;
}
