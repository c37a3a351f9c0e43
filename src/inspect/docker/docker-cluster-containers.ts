import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL } from '../../common/labels.js';
import type { DockerCli, ListedContainer } from '../../docker/docker-cli.js';
import { CGROUP_V1_STATS_ARGV, parseCgroupV1Stats } from '../parse-cgroup-stats.js';
import type { ContainerRole, ContainerStats } from '../snapshot.js';
import type { ClusterContainer, ClusterContainers } from './cluster-containers.js';
import { compareText } from '../../common/compare-text.js';

const LISTED_LABELS = [KIND_CLUSTER_LABEL, LAB_LABEL, LAB_COMPONENT_LABEL] as const;
/** How old a listing listContainers may reuse: the same command's lab lookup, never a stale view of a later step. */
const RECENT_LISTING_MS = 1000;

const KNOWN_ROLES = new Set<ContainerRole>(['control-plane', 'worker', 'external-load-balancer', 'external-etcd']);

/** A cluster's containers through the Docker seam: kind's nodes by label, plus the lab's external etcd. */
export class DockerClusterContainers implements ClusterContainers {
  /** Stats asked for in the same turn of the event loop, answered by one `docker stats` call. */
  private batch: { ids: string[]; samples: Promise<Map<string, ContainerStats>> } | undefined;

  /** The listing listClusters just made, for the listContainers that usually follows it (picking a lab, then reading it). */
  private recent: { at: number; listed: Promise<ListedContainer[]> } | undefined;

  constructor(private readonly docker: DockerCli) {}

  async listClusters(): Promise<string[]> {
    const listed = this.docker.listAllContainers(LISTED_LABELS);
    this.recent = { at: Date.now(), listed };
    return [...new Set((await listed).flatMap((c) => c.labels[KIND_CLUSTER_LABEL] ?? []))].sort();
  }

  /** One `docker ps` (or the one listClusters made just before) and one `docker container inspect`. */
  async listContainers(cluster: string): Promise<ClusterContainer[]> {
    const recent = this.recent && Date.now() - this.recent.at <= RECENT_LISTING_MS ? this.recent.listed : undefined;
    this.recent = undefined;
    const listed = await (recent ?? this.docker.listAllContainers(LISTED_LABELS));
    // kind's nodes by kind's label, and the lab's external etcd by ours.
    const ofCluster = listed.filter(
      (c) => c.labels[KIND_CLUSTER_LABEL] === cluster || (c.labels[LAB_LABEL] === cluster && c.labels[LAB_COMPONENT_LABEL] === 'etcd'),
    );
    if (ofCluster.length === 0) return [];
    const result: ClusterContainer[] = [];
    for (const c of await this.docker.inspectContainers(ofCluster)) {
      const role = roleOf(c.labels);
      if (!role) continue;
      const ipv4 = Object.values(c.networks)
        .map((n) => n.ipv4)
        .find(Boolean);
      const ipv6 = Object.values(c.networks)
        .map((n) => n.ipv6)
        .find(Boolean);
      result.push({
        id: c.id,
        name: c.name,
        role,
        image: c.image,
        state: c.state,
        status: c.status,
        ...(ipv4 ? { ipv4 } : {}),
        ...(ipv6 ? { ipv6 } : {}),
        ports: c.ports,
        labels: pickLabels(c.labels),
        ...(c.pid ? { hostPid: c.pid } : {}),
      });
    }
    return result.sort((a, b) => roleOrder(a.role) - roleOrder(b.role) || compareText(a.name, b.name));
  }

  /**
   * The container's own cgroup, read inside it (memory as `docker stats` counts it, CPU time since
   * it started). Containers without `cat` (the distroless etcd) or on cgroup v2 get a `docker stats`
   * sample instead, which waits about 2 s for its second sample.
   */
  async stats(containerId: string): Promise<ContainerStats> {
    const read = await this.docker.exec(containerId, CGROUP_V1_STATS_ARGV, { allowFailure: true, timeoutMs: 10_000 }).catch(() => undefined);
    const stats = read?.exitCode === 0 ? parseCgroupV1Stats(read.stdout) : undefined;
    return stats ?? this.sampledStats(containerId);
  }

  /** `docker stats --no-stream` calls asked for in the same turn of the event loop, gathered into one. */
  private async sampledStats(containerId: string): Promise<ContainerStats> {
    if (!this.batch) {
      const ids: string[] = [];
      const samples = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.batch = undefined;
        return this.docker.stats(ids);
      });
      this.batch = { ids, samples };
    }
    this.batch.ids.push(containerId);
    const sample = (await this.batch.samples).get(containerId);
    if (!sample) throw new Error(`docker stats returned no sample for ${containerId.slice(0, 12)}`);
    return sample;
  }
}

function roleOf(labels: Record<string, string>): ContainerRole | undefined {
  const role = labels[KIND_ROLE_LABEL];
  if (role && KNOWN_ROLES.has(role as ContainerRole)) return role as ContainerRole;
  if (labels[LAB_COMPONENT_LABEL] === 'etcd') return 'external-etcd';
  return undefined;
}

function roleOrder(role: ContainerRole): number {
  return ['external-load-balancer', 'external-etcd', 'control-plane', 'worker'].indexOf(role);
}

function pickLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels)
      .filter(([key]) => key.startsWith('io.x-k8s.kind.') || key.startsWith('dev.kindlab.'))
      .sort(([a], [b]) => compareText(a, b)),
  );
}
