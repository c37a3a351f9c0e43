import { load, dump } from 'js-yaml';
import { KindlabError } from '../../common/kindlab-error.js';
import { API_SERVER_PORT_KEY, apiServerEntry } from '../api-server-endpoint.js';
import type { ClusterContainer } from '../docker/cluster-containers.js';
import { execInNode } from '../../node/exec-in-node.js';
import type { NodeExec } from '../../node/node-exec.js';

/**
 * The cluster's admin kubeconfig, as `kind get kubeconfig` builds it: /etc/kubernetes/admin.conf of
 * a control plane, pointed at the host port that publishes the API (the load balancer's in HA).
 * Reading it from the node keeps `lab inspect` independent of the user's current kubectl context,
 * and costs `lab status` one exec where `kind get kubeconfig` ran several docker commands.
 */
export async function readAdminKubeconfig(
  exec: NodeExec,
  containers: ReadonlyArray<Pick<ClusterContainer, 'name' | 'state' | 'ports'> & { role: string }>,
): Promise<string> {
  const controlPlane = containers.find((c) => c.role === 'control-plane' && c.state === 'running');
  if (!controlPlane) throw new KindlabError('failed to read the admin kubeconfig: no running control-plane node');
  const adminConf = await execInNode(exec, controlPlane.name, ['cat', '/etc/kubernetes/admin.conf']);
  const entry = apiServerEntry(containers, controlPlane)!;
  const published = entry.ports[API_SERVER_PORT_KEY];
  if (!published) throw new KindlabError(`failed to find the published API port of ${entry.name}`);
  const [ip, port] = splitHostPort(published);
  const host = ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip;
  const config = load(adminConf) as { clusters?: Array<{ cluster: { server: string } }> };
  for (const cluster of config.clusters ?? []) cluster.cluster.server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return dump(config);
}

function splitHostPort(value: string): [string, string] {
  const index = value.lastIndexOf(':');
  return [value.slice(0, index), value.slice(index + 1)];
}
