import type Docker from 'dockerode';
import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL, LAB_COMPONENT_LABEL, LAB_LABEL } from '../../common/labels.js';
import type { ContainerRole, ContainerStats } from '../snapshot.js';
import type { ClusterContainer, ClusterContainers } from './cluster-containers.js';

const KNOWN_ROLES = new Set<ContainerRole>(['control-plane', 'worker', 'external-load-balancer', 'external-etcd']);

export class DockerodeClusterContainers implements ClusterContainers {
  constructor(private readonly docker: Docker) {}

  async listClusters(): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [KIND_CLUSTER_LABEL] } });
    return [...new Set(containers.map((c) => c.Labels[KIND_CLUSTER_LABEL]!))].sort();
  }

  async listContainers(cluster: string): Promise<ClusterContainer[]> {
    const [kindContainers, etcdContainers] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: [`${KIND_CLUSTER_LABEL}=${cluster}`] } }),
      this.docker.listContainers({
        all: true,
        filters: { label: [`${LAB_LABEL}=${cluster}`, `${LAB_COMPONENT_LABEL}=etcd`] },
      }),
    ]);
    const unique = [...new Map([...kindContainers, ...etcdContainers].map((c) => [c.Id, c])).values()];
    // The list shows an image id once its tag has moved to a rebuilt image; inspect keeps the name used.
    const imageNames = new Map(
      await Promise.all(
        unique.map(async (c) =>
          c.Image.startsWith('sha256:')
            ? ([c.Id, await this.docker.getContainer(c.Id).inspect().then((i) => i.Config.Image, () => c.Image)] as const)
            : ([c.Id, c.Image] as const),
        ),
      ),
    );
    const result: ClusterContainer[] = [];
    for (const c of unique) {
      const role = roleOf(c.Labels);
      if (!role) continue;
      const networks = Object.values(c.NetworkSettings?.Networks ?? {});
      const ports: Record<string, string> = {};
      for (const port of c.Ports ?? []) {
        if (port.PublicPort) ports[`${port.PrivatePort}/${port.Type}`] = `${port.IP || '0.0.0.0'}:${port.PublicPort}`;
      }
      const ipv4 = networks.map((n) => n.IPAddress).find(Boolean);
      const ipv6 = networks.map((n) => n.GlobalIPv6Address).find(Boolean);
      result.push({
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        role,
        image: imageNames.get(c.Id) ?? c.Image,
        state: c.State,
        status: c.Status,
        ...(ipv4 ? { ipv4 } : {}),
        ...(ipv6 ? { ipv6 } : {}),
        ports,
        labels: pickLabels(c.Labels),
      });
    }
    return result.sort((a, b) => roleOrder(a.role) - roleOrder(b.role) || a.name.localeCompare(b.name));
  }

  async stats(containerId: string): Promise<ContainerStats> {
    // one-shot skips the second sample docker would wait a second for; CPU is reported as time used.
    const raw = (await this.docker
      .getContainer(containerId)
      .stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as RawStats;
    const memory = raw.memory_stats ?? {};
    const stats = memory.stats ?? {};
    // Like `docker stats`: page cache that can be dropped does not count as use.
    const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
    const usage = Math.max(0, (memory.usage ?? 0) - cache);
    return {
      memoryBytes: usage,
      memoryLimitBytes: memory.limit ?? 0,
      cpuSeconds: (raw.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
      onlineCpus: raw.cpu_stats?.online_cpus ?? raw.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0,
      ...(raw.pids_stats?.current !== undefined ? { pids: raw.pids_stats.current } : {}),
    };
  }
}

interface RawStats {
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; online_cpus?: number };
  pids_stats?: { current?: number };
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
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
