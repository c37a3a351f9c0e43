import { KindlabError } from '../common/kindlab-error.js';
import { LAB_COMPONENT_LABEL, LAB_LABEL } from '../common/labels.js';
import { EXTERNAL_ETCD_IMAGE } from '../image/image-refs.js';
import type { DockerCli } from './docker-cli.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { ETCD_COMPONENT } from './lab-metadata.js';
import { sleep } from '../common/sleep.js';

export const ETCD_CLIENT_PORT = 2379;

export function externalEtcdContainerName(lab: string): string {
  return `${lab}-external-etcd`;
}

/** What kubeadm puts in every apiserver's --etcd-servers: the container's DNS name on the kind network. */
export function externalEtcdEndpoint(lab: string): string {
  return `http://${externalEtcdContainerName(lab)}:${ETCD_CLIENT_PORT}`;
}

/*
 * The container carries dev.kindlab.lab=<name> and dev.kindlab.component=etcd but NOT kind's
 * io.x-k8s.kind.cluster label: with that label present, `kind create cluster` refuses to start
 * ("node(s) already exist", see lab-metadata.ts). `lab down` removes it by kindlab's label.
 *
 * Plain HTTP on the kind network keeps the lab about how kubeadm uses an external etcd, not about
 * PKI; the data dir is an anonymous volume, removed with the container (`docker rm --volumes`).
 */
export function externalEtcdRunArgs(lab: string, image = EXTERNAL_ETCD_IMAGE): string[] {
  const name = externalEtcdContainerName(lab);
  return [
    '--name', name,
    '--hostname', name,
    '--network', KIND_NETWORK,
    '--label', `${LAB_LABEL}=${lab}`,
    '--label', `${LAB_COMPONENT_LABEL}=${ETCD_COMPONENT}`,
    '--volume', '/var/lib/etcd',
    '--entrypoint', '/usr/local/bin/etcd',
    image,
    '--name', name,
    '--data-dir', '/var/lib/etcd',
    '--listen-client-urls', `http://0.0.0.0:${ETCD_CLIENT_PORT}`,
    '--advertise-client-urls', `http://${name}:${ETCD_CLIENT_PORT}`,
    '--listen-peer-urls', 'http://0.0.0.0:2380',
    '--initial-advertise-peer-urls', `http://${name}:2380`,
    '--initial-cluster', `${name}=http://${name}:2380`,
    '--initial-cluster-state', 'new',
    '--listen-metrics-urls', 'http://0.0.0.0:2381',
  ];
}

export async function startExternalEtcd(docker: DockerCli, lab: string, signal?: AbortSignal): Promise<string> {
  if (!(await docker.imageExists(EXTERNAL_ETCD_IMAGE))) {
    throw new KindlabError(`failed to start external etcd: image ${EXTERNAL_ETCD_IMAGE} is not present`, {
      hint: 'run `lab image build` (it builds the etcd image with the node image)',
    });
  }
  return docker.runDetached(externalEtcdRunArgs(lab), { signal });
}

/** etcd answers `endpoint health` once it has elected itself leader; kubeadm init fails before that. */
export async function waitForEtcdHealthy(docker: DockerCli, lab: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const name = externalEtcdContainerName(lab);
  let last = '';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const result = await docker.exec(name, ['etcdctl', '--endpoints', `http://127.0.0.1:${ETCD_CLIENT_PORT}`, 'endpoint', 'health'], {
      allowFailure: true,
      signal,
      timeoutMs: 10_000,
    });
    if (result.exitCode === 0 && /is healthy/.test(result.stdout + result.stderr)) return;
    last = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
    await sleep(1000, signal);
  }
  throw new KindlabError(`failed to wait for external etcd ${name} to be healthy: ${last}`, {
    hint: `see \`docker logs ${name}\``,
  });
}
