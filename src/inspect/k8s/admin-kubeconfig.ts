import { load } from 'js-yaml';
import { KindlabError } from '../../common/kindlab-error.js';
import { API_SERVER_PORT_KEY, apiServerEntry } from '../api-server-endpoint.js';
import type { ClusterContainer } from '../docker/cluster-containers.js';
import type { ContainerInfo } from '../../docker/docker-cli.js';
import { KIND_ROLE_LABEL } from '../../common/labels.js';
import { execInNode } from '../../node/exec-in-node.js';
import type { NodeExec } from '../../node/node-exec.js';
import { readContainerFileOnHost, type HostRoots } from '../container-on-host.js';

/**
 * The cluster's admin kubeconfig, as `kind get kubeconfig` builds it: /etc/kubernetes/admin.conf of
 * a control plane, pointed at the host port that publishes the API (the load balancer's in HA).
 * Reading it from the node keeps `lab inspect` independent of the user's current kubectl context.
 *
 * A container given with its id and host pid (`lab status`, inspect, report, verify) is read through its root on this host
 * when the daemon runs here and kindlab may (see readContainerFileOnHost): no `docker exec` (about
 * 80 ms on a 2-core host), where `kind get kubeconfig` ran several docker commands. Else one exec.
 */
export async function readAdminKubeconfig(exec: NodeExec, containers: readonly AdminKubeconfigSource[], hostRoots?: HostRoots): Promise<string> {
  const controlPlane = containers.find((c) => c.role === 'control-plane' && c.state === 'running');
  if (!controlPlane) throw new KindlabError('failed to read the admin kubeconfig: no running control-plane node');
  const onHost = controlPlane.hostPid && controlPlane.id ? readContainerFileOnHost(controlPlane.hostPid, controlPlane.id, ADMIN_CONF, hostRoots) : undefined;
  const adminConf = onHost ?? (await execInNode(exec, controlPlane.name, ['cat', ADMIN_CONF]));
  const entry = apiServerEntry(containers, controlPlane)!;
  const published = entry.ports[API_SERVER_PORT_KEY];
  if (!published) throw new KindlabError(`failed to find the published API port of ${entry.name}`);
  const [ip, port] = splitHostPort(published);
  const host = ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip;
  const config = load(adminConf) as { clusters?: Array<{ cluster: { server: string } }> };
  for (const cluster of config.clusters ?? []) cluster.cluster.server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // JSON, which is YAML too (kubectl and every kubeconfig reader take it): js-yaml's dump costs about
  // 20 ms at a cold start, a third of what `lab status` spends in its own code (bench/command-goals-bench.ts).
  return `${JSON.stringify(config, null, 2)}\n`;
}

const ADMIN_CONF = '/etc/kubernetes/admin.conf';

export type AdminKubeconfigSource = Pick<ClusterContainer, 'name' | 'state' | 'ports' | 'hostPid'> & { role: string; id?: string };

/** A kind container as Docker lists it, as readAdminKubeconfig takes it (its id and pid let this host read the file). */
export function adminKubeconfigSource(c: ContainerInfo): AdminKubeconfigSource {
  return { id: c.id, ...(c.pid ? { hostPid: c.pid } : {}), name: c.name, role: c.labels[KIND_ROLE_LABEL] ?? '', state: c.state, ports: c.ports };
}

function splitHostPort(value: string): [string, string] {
  const index = value.lastIndexOf(':');
  return [value.slice(0, index), value.slice(index + 1)];
}
