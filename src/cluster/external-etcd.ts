import { KindlabError } from '../common/kindlab-error.js';
import { dockerLabelArgs, ETCD_COMPONENT, LAB_ADDRESS_LABEL, labComponentLabels } from '../common/labels.js';
import { EXTERNAL_ETCD_IMAGE } from '../image/image-refs.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { createEtcdPki, ETCD_PKI_FILES, KUBEADM_PKI_DIR, etcdPkiVolumeName } from './external-etcd-pki.js';
import { doneIf, waitUntil } from '../common/wait-until.js';
import { ETCD_CLIENT_PORT, externalEtcdContainerName, externalEtcdEndpoint } from './external-etcd-endpoint.js';

// In their own file so `lab status` can name the endpoint without loading how etcd is brought up.
export { ETCD_CLIENT_PORT, externalEtcdContainerName, externalEtcdEndpoint } from './external-etcd-endpoint.js';

export function etcdDataVolumeName(lab: string): string {
  return `${lab}-etcd-data`;
}

/**
 * etcdctl flags for a client inside the etcd container: the apiservers' own client certificate
 * (kubeadm's apiserver-etcd-client), which the etcd CA signed. Used by `lab up`'s health wait,
 * `lab verify` and `lab tour`.
 */
export const EXTERNAL_ETCDCTL_TLS: readonly string[] = [
  `--endpoints=https://127.0.0.1:${ETCD_CLIENT_PORT}`,
  `--cacert=${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.caCert}`,
  `--cert=${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.clientCert}`,
  `--key=${KUBEADM_PKI_DIR}/${ETCD_PKI_FILES.clientKey}`,
];

/*
 * The container carries dev.kindlab.lab=<name> and dev.kindlab.component=etcd but NOT kind's
 * io.x-k8s.kind.cluster label: with that label present, `kind create cluster` refuses to start
 * ("node(s) already exist", see lab-metadata.ts). `lab down` removes it, its data volume and its
 * PKI volume by kindlab's label.
 *
 * It shares the `kind` network with every lab on the host, so it serves clients only over TLS and
 * only to clients with a certificate from the lab's own etcd CA (--client-cert-auth): a pod of another
 * lab reaches the port but cannot read anything. The single member's peer and metrics listeners stay
 * on the container's loopback. It restarts with the Docker daemon (unless-stopped) and keeps its data
 * in a named, labelled volume, so a daemon restart does not lose the cluster's state.
 */
export function externalEtcdRunArgs(lab: string, image = EXTERNAL_ETCD_IMAGE, address?: string): string[] {
  const name = externalEtcdContainerName(lab);
  const pki = (file: string) => `${KUBEADM_PKI_DIR}/${file}`;
  return [
    '--name',
    name,
    '--hostname',
    name,
    '--network',
    KIND_NETWORK,
    // Pinned like the nodes (lab-addresses.ts), so `lab start` brings it back where it was.
    ...(address ? ['--ip', address, ...dockerLabelArgs({ [LAB_ADDRESS_LABEL]: address })] : []),
    '--restart',
    'unless-stopped',
    ...dockerLabelArgs(labComponentLabels(lab, ETCD_COMPONENT)),
    '--volume',
    `${etcdDataVolumeName(lab)}:/var/lib/etcd`,
    '--volume',
    `${etcdPkiVolumeName(lab)}:${KUBEADM_PKI_DIR}:ro`,
    '--entrypoint',
    '/usr/local/bin/etcd',
    image,
    '--name',
    name,
    '--data-dir',
    '/var/lib/etcd',
    '--listen-client-urls',
    `https://0.0.0.0:${ETCD_CLIENT_PORT}`,
    '--advertise-client-urls',
    externalEtcdEndpoint(lab),
    '--cert-file',
    pki(ETCD_PKI_FILES.serverCert),
    '--key-file',
    pki(ETCD_PKI_FILES.serverKey),
    '--client-cert-auth',
    '--trusted-ca-file',
    pki(ETCD_PKI_FILES.caCert),
    '--listen-peer-urls',
    'http://127.0.0.1:2380',
    '--initial-advertise-peer-urls',
    'http://127.0.0.1:2380',
    '--initial-cluster',
    `${name}=http://127.0.0.1:2380`,
    '--initial-cluster-state',
    'new',
    '--listen-metrics-urls',
    'http://127.0.0.1:2381',
  ];
}

/**
 * Everything `--etcd external` needs before kind runs: the lab's certificates (made by the node
 * image's kubeadm), the data volume, the container, and a healthy answer over TLS.
 * pkiHostDir is where the rendered kind config mounts the certificates from.
 */
export async function bringUpExternalEtcd(
  docker: DockerCli,
  lab: string,
  options: { nodeImage: string; pkiHostDir: string; healthTimeoutMs: number; address?: string; signal?: AbortSignal; output?: (line: string) => void },
): Promise<void> {
  await createEtcdPki(docker, lab, externalEtcdContainerName(lab), options.nodeImage, options.pkiHostDir, options.signal);
  options.output?.(`etcd CA, server and apiserver-etcd-client certificates made by kubeadm of ${options.nodeImage}`);
  await startExternalEtcd(docker, lab, options.signal, options.address);
  await waitForEtcdHealthy(docker, lab, options.healthTimeoutMs, options.signal);
  options.output?.(`${externalEtcdEndpoint(lab)} is healthy (TLS, client certificates required)`);
}

/** The data volume first (labelled, so `lab down` finds it), then the container; the PKI volume must exist already. */
export async function startExternalEtcd(docker: DockerCli, lab: string, signal?: AbortSignal, address?: string): Promise<string> {
  await requireEtcdImage(docker);
  await docker.createVolume(etcdDataVolumeName(lab), labComponentLabels(lab, ETCD_COMPONENT));
  return docker.runDetached(externalEtcdRunArgs(lab, EXTERNAL_ETCD_IMAGE, address), { signal });
}

export async function requireEtcdImage(docker: DockerCli): Promise<void> {
  if (!(await docker.imageExists(EXTERNAL_ETCD_IMAGE))) {
    throw new KindlabError(`failed to start external etcd: image ${EXTERNAL_ETCD_IMAGE} is not present`, {
      hint: 'run `lab image build` (it builds the etcd image with the node image)',
    });
  }
}

/** etcd answers `endpoint health` once it has elected itself leader; kubeadm init fails before that. */
export async function waitForEtcdHealthy(docker: DockerCli, lab: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const name = externalEtcdContainerName(lab);
  await waitUntil(
    async (checkSignal) => {
      const result = await docker.exec(name, ['etcdctl', ...EXTERNAL_ETCDCTL_TLS, 'endpoint', 'health'], {
        allowFailure: true,
        signal: checkSignal,
        timeoutMs: 10_000,
      });
      return doneIf(result.exitCode === 0 && /is healthy/.test(result.stdout + result.stderr), (result.stderr || result.stdout).trim().split('\n').pop() ?? '');
    },
    { what: `external etcd ${name} to be healthy`, timeoutMs, intervalMs: 1000, ...(signal ? { signal } : {}), hint: `see \`docker logs ${name}\`` },
  );
}
