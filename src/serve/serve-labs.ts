import { randomBytes } from 'node:crypto';
import type { LabDeps } from '../cluster/lab-deps.js';
import { listLabStatuses } from '../cluster/list-lab-statuses.js';
import { UsageError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';
import { resolveLabName } from '../common/resolve-lab-name.js';
import type { InspectDependencies } from '../inspect/inspect-cluster.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import { readAdminKubeconfig } from '../inspect/k8s/admin-kubeconfig.js';
import type { Annotations } from '../report/annotations.js';
import { VerifyOutcomeStore } from '../verify/verify-outcome-store.js';
import { LabLiveFeed } from './lab-live-feed.js';
import type { IndexRow } from './render-serve-pages.js';
import { startServeServer, type RunningServer } from './serve-http.js';
import { readVerifyCell } from './verify-cell.js';

export interface ServeOptions {
  /** One lab; without it every lab on the daemon, behind an index. */
  name?: string;
  listen: string;
  port: number;
  texts: Annotations;
  intervalMs: number;
  /** The labs' last `lab verify` outcomes (default: KINDLAB_HOME's), read each time the index is opened. */
  outcomes?: VerifyOutcomeStore;
}

export interface ServingLabs extends RunningServer {
  labs: string[];
  /** The labs' live feeds by name (`lab tour --serve` tells them what the tour talks about). */
  feeds: ReadonlyMap<string, LabLiveFeed>;
  /** Stops the feeds (watches, timers) and the server. */
  stop(): Promise<void>;
}

/** Starts `lab serve`: one live feed per lab (started when its page is first opened) behind one token. */
export async function serveLabs(deps: { inspect: InspectDependencies; lab: LabDeps }, options: ServeOptions): Promise<ServingLabs> {
  const labs = options.name ? [await resolveLabName(deps.inspect.containers, options.name, 'serve')] : await allLabs(deps.inspect);
  const feeds = new Map(labs.map((name) => [name, labFeed(deps.inspect, name, options)]));
  const outcomes = options.outcomes ?? VerifyOutcomeStore.inHome(kindlabHome());
  const server = await startServeServer({
    listen: options.listen,
    port: options.port,
    token: randomBytes(24).toString('base64url'),
    feeds,
    index: async () =>
      (await listLabStatuses(deps.lab)).filter((s) => feeds.has(s.name)).map((s) => ({ ...indexRow(s), verify: readVerifyCell(outcomes, s, new Date()) })),
  });
  return {
    ...server,
    labs,
    feeds,
    async stop() {
      for (const feed of feeds.values()) feed.stop();
      await server.close();
    },
  };
}

/** Every lab with containers on the daemon (what `lab inspect` could read). */
async function allLabs(deps: InspectDependencies): Promise<string[]> {
  const labs = (await deps.containers.listClusters()).sort();
  if (labs.length === 0) throw new UsageError('no labs to serve', { hint: 'create one with `lab up`' });
  return labs;
}

function labFeed(deps: InspectDependencies, cluster: string, options: ServeOptions): LabLiveFeed {
  return new LabLiveFeed({
    connect: async () => deps.kube(await readAdminKubeconfig(deps.exec, await deps.containers.listContainers(cluster))),
    inspect: (kube) => inspectCluster(deps, { cluster, connectKube: async () => kube, command: 'serve' }),
    texts: options.texts,
    intervalMs: options.intervalMs,
  });
}

function indexRow(status: Awaited<ReturnType<typeof listLabStatuses>>[number]): Omit<IndexRow, 'verify'> {
  const count = (role: string) => status.containers.filter((c) => c.role === role).length;
  const parts = [`${count('control-plane')} control plane(s)`, `${count('worker')} worker(s)`];
  if (count('external-load-balancer') > 0) parts.push('load balancer');
  if (status.externalEtcd) parts.push('external etcd');
  const ready = status.nodes.filter((n) => n.status === 'Ready').length;
  return {
    name: status.name,
    shape: `${status.topology}: ${parts.join(', ')}`,
    state: status.state,
    nodes: status.apiError ? `API unreachable: ${status.apiError}` : `${ready}/${status.expectedNodes ?? status.nodes.length} Ready`,
  };
}
