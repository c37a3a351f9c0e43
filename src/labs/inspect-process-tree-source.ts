import type { ClusterContainer, ClusterContainers } from '../inspect/docker/cluster-containers.js';
import type { KubeApi } from '../kube/kube-api.js';
import { inspectCluster, type InspectDependencies } from '../inspect/inspect-cluster.js';
import type { Annotations } from '../report/annotations.js';
import { buildReportModel } from '../report/build-report-model.js';
import { processTreeText } from '../report/layout-process-tree.js';
import type { NodeProcessTree, ProcessTreeSource } from './tour-context.js';

/** Handout-friendly widths: about 120 characters per line with the annotation column. */
const TREE_LAYOUT = { commandWidth: 76, annotationWidth: 46 };

/**
 * Trees come from the same snapshot and renderer as `lab inspect` / `lab report`, limited to one
 * node so a tour step does not wait for the whole cluster.
 */
export class InspectProcessTreeSource implements ProcessTreeSource {
  constructor(
    private readonly deps: InspectDependencies,
    private readonly cluster: string,
    /** The tour's one API connection (src/inspect/k8s/connect-admin.ts). */
    private readonly connectKube: () => Promise<KubeApi>,
    private readonly texts: Annotations,
  ) {}

  async nodeTree(nodeName: string): Promise<NodeProcessTree> {
    const snapshot = await inspectCluster(
      { ...this.deps, containers: onlyNode(this.deps.containers, nodeName) },
      { cluster: this.cluster, connectKube: this.connectKube, command: 'tour' },
    );
    const model = buildReportModel(snapshot, this.texts);
    const node = model.nodes.find((n) => n.name === nodeName);
    if (!node) throw new Error(`failed to inspect node ${nodeName}: not in the snapshot (${snapshot.warnings.join('; ')})`);
    // A process under a shim belongs to that shim's pod even when the runtime did not report its pid.
    const ancestors: Array<{ depth: number; pod: string | undefined }> = [];
    const processes = node.rows.map((row) => {
      while (ancestors.length > 0 && ancestors[ancestors.length - 1]!.depth >= row.depth) ancestors.pop();
      const pod = row.pod ?? ancestors.find((a) => a.pod !== undefined)?.pod;
      ancestors.push({ depth: row.depth, pod: row.kind === 'shim' ? row.pod : pod });
      return { pid: row.pid, args: row.args, component: row.kind === 'shim' ? 'shim' : row.kind === 'pause' ? 'pause' : row.component, pod };
    });
    return { text: processTreeText(node.rows, TREE_LAYOUT).join('\n'), processes };
  }
}

function onlyNode(containers: ClusterContainers, nodeName: string): ClusterContainers {
  return {
    listClusters: () => containers.listClusters(),
    listContainers: async (cluster: string): Promise<ClusterContainer[]> => (await containers.listContainers(cluster)).filter((c) => c.name === nodeName),
    stats: (id: string) => containers.stats(id),
  };
}
