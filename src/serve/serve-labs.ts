import { randomBytes } from 'node:crypto';
import type { LabDeps } from '../cluster/lab-deps.js';
import type { LabStatus } from '../cluster/lab-status.js';
import { HOSTED_LAB_COMPONENT } from '../common/labels.js';
import { listLabStatuses } from '../cluster/list-lab-statuses.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';
import { resolveLabName } from '../common/resolve-lab-name.js';
import type { InspectDependencies } from '../inspect/inspect-cluster.js';
import { inspectCluster } from '../inspect/inspect-cluster.js';
import type { KubeApi } from '../kube/kube-api.js';
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

/**
 * A lab read through its API alone (a hosted lab, `lab up --host-cluster`): its own connection, node
 * reads by agent pods inside it, and its status from its record.
 */
export interface ApiServedLab {
  name: string;
  /** The API path's edges; their agents live as long as the page is served. */
  inspect: InspectDependencies;
  connect(): Promise<KubeApi>;
  status(): Promise<LabStatus>;
  /** Deletes the agents (stop() calls it). */
  dispose(): Promise<void>;
}

/** What is served: labs on this machine's Docker (absent when only API labs are), and labs read through their API. */
export interface ServeSources {
  local?: { inspect: InspectDependencies; lab: LabDeps };
  api?: readonly ApiServedLab[];
}

export interface ServingLabs extends RunningServer {
  labs: string[];
  /** The labs' live feeds by name (`lab tour --serve` tells them what the tour talks about). */
  feeds: ReadonlyMap<string, LabLiveFeed>;
  /** Stops the feeds (watches, timers) and the server, then removes the API labs' agents. */
  stop(): Promise<void>;
}

/** Starts `lab serve`: one live feed per lab (started when its page is first opened) behind one token. */
export async function serveLabs(sources: ServeSources, options: ServeOptions): Promise<ServingLabs> {
  const api = sources.api ?? [];
  const local = options.name && api.some((l) => l.name === options.name) ? [] : await localLabs(sources.local, options.name);
  const feeds = new Map<string, LabLiveFeed>([
    ...local.map((name): [string, LabLiveFeed] => [name, localFeed(sources.local!.inspect, name, options)]),
    ...api.filter((l) => !options.name || l.name === options.name).map((l): [string, LabLiveFeed] => [l.name, apiFeed(l, options)]),
  ]);
  if (feeds.size === 0) throw new UsageError('no labs to serve', { hint: 'create one with `lab up`' });
  const outcomes = options.outcomes ?? VerifyOutcomeStore.inHome(kindlabHome());
  const server = await startServeServer({
    listen: options.listen,
    port: options.port,
    token: randomBytes(24).toString('base64url'),
    feeds,
    index: async () => {
      const [localStatuses, apiStatuses] = await Promise.all([
        sources.local && local.length > 0 ? listLabStatuses(sources.local.lab) : [],
        Promise.all(api.filter((l) => feeds.has(l.name)).map((l) => l.status())),
      ]);
      return [...localStatuses, ...apiStatuses]
        .filter((s) => feeds.has(s.name))
        .map((s) => ({ ...indexRow(s), verify: readVerifyCell(outcomes, s, new Date()) }));
    },
  });
  return {
    ...server,
    labs: [...feeds.keys()],
    feeds,
    async stop() {
      for (const feed of feeds.values()) feed.stop();
      await server.close();
      await Promise.all(api.map((l) => l.dispose()));
    },
  };
}

/** The lab named (a pool participant's too), or every lab with containers on the daemon (what `lab inspect` could read). */
async function localLabs(local: ServeSources['local'], name: string | undefined): Promise<string[]> {
  if (!local) {
    if (name) throw new KindlabError(`lab ${name} does not exist`, { hint: 'see `lab list`', exitCode: 3 });
    return [];
  }
  if (name) return [await resolveLabName(local.inspect.containers, name, 'serve')];
  return (await local.inspect.containers.listClusters()).sort();
}

/** A lab on this machine's Docker: its API through the admin kubeconfig read from its control plane. */
function localFeed(deps: InspectDependencies, cluster: string, options: ServeOptions): LabLiveFeed {
  return labFeed(async () => deps.kube(await readAdminKubeconfig(deps.exec, await deps.containers.listContainers(cluster))), deps, cluster, options);
}

function apiFeed(lab: ApiServedLab, options: ServeOptions): LabLiveFeed {
  return labFeed(() => lab.connect(), lab.inspect, lab.name, options);
}

function labFeed(connect: () => Promise<KubeApi>, deps: InspectDependencies, cluster: string, options: ServeOptions): LabLiveFeed {
  return new LabLiveFeed({
    connect,
    inspect: (kube) => inspectCluster(deps, { cluster, connectKube: async () => kube, command: 'serve' }),
    texts: options.texts,
    intervalMs: options.intervalMs,
  });
}

function indexRow(status: Awaited<ReturnType<typeof listLabStatuses>>[number]): Omit<IndexRow, 'verify'> {
  const count = (role: string) => status.containers.filter((c) => c.role === role).length;
  const hostedIn = status.containers.find((c) => c.role === HOSTED_LAB_COMPONENT);
  const parts = [`${count('control-plane')} control plane(s)`, `${count('worker')} worker(s)`];
  if (count('external-load-balancer') > 0) parts.push('load balancer');
  if (status.externalEtcd) parts.push('external etcd');
  const ready = status.nodes.filter((n) => n.status === 'Ready').length;
  return {
    name: status.name,
    // A hosted lab's nodes run inside one pod of its host cluster: no containers here to count.
    shape: hostedIn ? `${status.topology}: hosted in pod ${hostedIn.name}` : `${status.topology}: ${parts.join(', ')}`,
    state: status.state,
    nodes: status.apiError ? `API unreachable: ${status.apiError}` : `${ready}/${status.expectedNodes ?? status.nodes.length} Ready`,
  };
}
