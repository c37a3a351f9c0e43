import { load } from 'js-yaml';
import type { KubeApi } from '../kube/kube-api.js';
import type { NodeExec } from '../node/node-exec.js';
import type { Snapshot } from '../inspect/snapshot.js';
import { isRunning, nodesWithRole } from './checks/snapshot-queries.js';
import type { ClusterEndpoint, Probe } from './cluster-evidence.js';

const EXEC_TIMEOUT_MS = 30_000;
/** The Service every cluster has for its API servers; its EndpointSlices list their own addresses. */
const API_SERVICE_SELECTOR = 'kubernetes.io/service-name=kubernetes';

/**
 * What stands for the load balancer's container on the API path (no Docker): the endpoint the
 * cluster's clients are given (kubeadm's `cluster-info` in kube-public, the controlPlaneEndpoint),
 * resolved to an address inside a node when it is a name (kind names its load balancer container),
 * and the API servers behind it (the `kubernetes` Service's EndpointSlices).
 */
export async function gatherApiFront(
  kube: KubeApi,
  exec: NodeExec,
  snapshot: Snapshot,
): Promise<{ clusterEndpoint: Probe<ClusterEndpoint>; apiServerEndpoints: Probe<string[]> }> {
  const [clusterEndpoint, apiServerEndpoints] = await Promise.all([
    attempt(() => clusterEndpointOf(kube, exec, snapshot)),
    attempt(async () => {
      const slices = await kube.list('endpointslice', 'default', API_SERVICE_SELECTOR);
      return slices.flatMap((slice) => {
        const port = slice.ports?.find((p) => p.name === 'https')?.port ?? slice.ports?.[0]?.port;
        return slice.endpoints.flatMap((e) => e.addresses.map((a) => `${a}:${port ?? '?'}`));
      });
    }),
  ]);
  return { clusterEndpoint, apiServerEndpoints };
}

async function clusterEndpointOf(kube: KubeApi, exec: NodeExec, snapshot: Snapshot): Promise<ClusterEndpoint> {
  const info = await kube.read('configmap', 'kube-public', 'cluster-info');
  const config = load(info.data?.kubeconfig ?? '') as { clusters?: Array<{ cluster?: { server?: string } }> } | undefined;
  const server = config?.clusters?.[0]?.cluster?.server;
  if (!server) throw new Error('kube-public/cluster-info has no server');
  const url = new URL(server);
  const port = url.port || '443';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(url.hostname)) return { server, address: `${url.hostname}:${port}` };
  const node = nodesWithRole(snapshot, 'control-plane').find(isRunning);
  if (!node) throw new Error(`no running control plane to resolve ${url.hostname} on`);
  const argv = ['getent', 'ahostsv4', url.hostname];
  const result = await exec.exec(node.name, argv, { timeoutMs: EXEC_TIMEOUT_MS });
  const address = result.exitCode === 0 ? result.stdout.trim().split(/\s+/)[0] : undefined;
  if (!address) throw new Error(`\`${exec.command(node.name, argv)}\` did not resolve ${url.hostname} (exit ${result.exitCode})`);
  return { server, address: `${address}:${port}`, resolvedOn: node.name };
}

async function attempt<T>(gather: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await gather() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
