import { createDebugLogger } from '../common/debug-logger.js';
import type { DockerCli } from '../docker/docker-cli.js';
import type { KubeApi } from '../kube/kube-api.js';

const debug = createDebugLogger('start');

/** conntrack's summary on stderr, e.g. `conntrack v1.4.7 (conntrack-tools): 6 flow entries have been deleted.` */
const DELETED_ENTRIES = /(\d+) flow entries have been deleted/;

/**
 * The address pods reach the API by: the `kubernetes` Service's ClusterIP (undefined when the API
 * does not answer yet; the next round asks again).
 */
export async function kubernetesServiceAddress(kube: Pick<KubeApi, 'read'>): Promise<string | undefined> {
  try {
    const address = (await kube.read('service', 'default', 'kubernetes')).spec?.clusterIP;
    return address && address !== 'None' ? address : undefined;
  } catch (error) {
    debug(`the kubernetes Service is not readable yet: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Deletes, in each node, the connection-tracking entries of TCP connections to `address` that are
 * still at their first SYN and were never translated (the reply would come from `address` itself),
 * and answers how many each node had.
 *
 * Why: after a restart, pods that reach the API through the `kubernetes` Service (CoreDNS; kindlab's
 * flannel uses the control-plane endpoint instead) dial its ClusterIP before kube-proxy on their node has written the Service's rules again. The
 * kernel decides the translation of a connection at its first packet, so the SYN's retries keep
 * leaving the node untranslated and unanswered until the client gives up: client-go after 30 s, and
 * CoreDNS turned Ready about 30 s after its start (recorded in test/fixtures/lab-stop-start/). Without
 * the entry, the next retry is a new connection that kube-proxy's rules translate once they exist.
 * Only such entries go (an established or translated connection does not match), and only in the
 * lab's own nodes; `conntrack` is part of kind's node image. A node without it counts 0.
 */
export async function clearUnroutedConnections(docker: Pick<DockerCli, 'exec'>, nodes: readonly string[], address: string): Promise<Map<string, number>> {
  const argv = ['conntrack', '-D', '-p', 'tcp', '--orig-dst', address, '--reply-src', address, '--state', 'SYN_SENT'];
  const counts = await Promise.all(
    nodes.map(async (node): Promise<[string, number]> => {
      // Exit 1 when nothing matched, so the count comes from the summary line.
      const result = await docker.exec(node, argv, { allowFailure: true, timeoutMs: 10_000 });
      const deleted = Number(DELETED_ENTRIES.exec(result.stderr)?.[1] ?? 0);
      if (deleted > 0 || !DELETED_ENTRIES.test(result.stderr)) debug(`${node}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
      return [node, deleted];
    }),
  );
  return new Map(counts);
}
