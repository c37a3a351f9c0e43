import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { KindlabError } from '../common/kindlab-error.js';
import { ETCD_PKI_COMPONENT, labComponentLabels } from '../common/labels.js';
import { projectRoot } from '../common/paths.js';
import type { DockerCli } from '../docker/docker-cli.js';

/** Where kubeadm keeps its PKI on a node, and where the etcd container finds the same files. */
export const KUBEADM_PKI_DIR = '/etc/kubernetes/pki';

/** kubeadm's names for the external-etcd files, relative to its certificatesDir. */
export const ETCD_PKI_FILES = {
  caCert: 'etcd/ca.crt',
  caKey: 'etcd/ca.key',
  serverCert: 'etcd/server.crt',
  serverKey: 'etcd/server.key',
  clientCert: 'apiserver-etcd-client.crt',
  clientKey: 'apiserver-etcd-client.key',
} as const;

/** One `kubeadm init phase certs <phase>` each, in this order (the CA signs the other two). */
export const ETCD_CERT_PHASES = ['etcd-ca', 'etcd-server', 'apiserver-etcd-client'] as const;

export function etcdPkiVolumeName(lab: string): string {
  return `${lab}-etcd-pki`;
}

/**
 * Where the local volume driver keeps the PKI volume's files on the daemon's host:
 * <DockerRootDir>/volumes/<name>/_data. kind's extraMounts only take host paths, so the control-plane
 * nodes bind-mount files from there; createEtcdPki checks that the daemon really put the volume there.
 */
export function etcdPkiHostDir(dockerRootDir: string, lab: string): string {
  return posix.join(dockerRootDir, 'volumes', etcdPkiVolumeName(lab), '_data');
}

/** templates/etcd/kubeadm-certs.yaml with the etcd container's DNS name filled in. */
export function renderEtcdCertsConfig(etcdHost: string, dir: string = posix.join(projectRoot(), 'templates')): string {
  const path = posix.join(dir, 'etcd', 'kubeadm-certs.yaml');
  let docs: unknown[];
  try {
    docs = loadAll(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KindlabError(`failed to load template ${path}`, { cause: error });
  }
  const init = docs.find((d) => (d as { kind?: string }).kind === 'InitConfiguration') as { nodeRegistration: { name: string } } | undefined;
  const cluster = docs.find((d) => (d as { kind?: string }).kind === 'ClusterConfiguration') as { etcd: { local: { serverCertSANs: string[] } } } | undefined;
  if (!init || !cluster) throw new KindlabError(`failed to render ${path}: it needs an InitConfiguration and a ClusterConfiguration`);
  init.nodeRegistration.name = etcdHost;
  cluster.etcd.local.serverCertSANs = [etcdHost];
  return docs.map((d) => dump(d, { lineWidth: -1 })).join('---\n');
}

/** `docker run` arguments for one kubeadm cert phase: no network, the config on stdin, the PKI volume as certificatesDir. */
export function kubeadmCertPhaseArgs(lab: string, nodeImage: string, phase: (typeof ETCD_CERT_PHASES)[number]): string[] {
  return [
    '--rm',
    '--interactive',
    '--network',
    'none',
    ...Object.entries(labComponentLabels(lab, ETCD_PKI_COMPONENT)).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '--volume',
    `${etcdPkiVolumeName(lab)}:/pki`,
    '--entrypoint',
    'kubeadm',
    nodeImage,
    'init',
    'phase',
    'certs',
    phase,
    '--config',
    '/dev/stdin',
  ];
}

/**
 * The lab's etcd CA, etcd server certificate and apiserver-etcd-client certificate, made by the
 * kubeadm of the node image in a labelled volume (so `lab down` removes them with the lab). kubeadm
 * writes keys 0600; the volume's directory under DockerRootDir is readable by root only.
 * Returns the volume's directory on the daemon's host.
 */
export async function createEtcdPki(
  docker: DockerCli,
  lab: string,
  etcdHost: string,
  nodeImage: string,
  expectedHostDir: string,
  signal?: AbortSignal,
): Promise<string> {
  const volume = etcdPkiVolumeName(lab);
  await docker.createVolume(volume, labComponentLabels(lab, ETCD_PKI_COMPONENT));
  const hostDir = await docker.volumeMountpoint(volume);
  if (hostDir !== expectedHostDir) {
    throw new KindlabError(
      `failed to place the etcd certificates: volume ${volume} is at ${hostDir}, not at ${expectedHostDir} where the kind config mounts it from`,
      {
        hint: "external etcd needs Docker's local volume driver on a local daemon",
      },
    );
  }
  const config = renderEtcdCertsConfig(etcdHost);
  for (const phase of ETCD_CERT_PHASES) {
    await docker.runAttached(kubeadmCertPhaseArgs(lab, nodeImage, phase), { input: config, signal, timeoutMs: 60_000 });
  }
  return hostDir;
}
