import type { ClusterContainer, ClusterContainers } from '../inspect/docker/cluster-containers.js';
import { inspectCluster, type InspectDependencies } from '../inspect/inspect-cluster.js';
import type { Annotations } from '../report/annotations.js';
import { buildReportModel } from '../report/build-report-model.js';
import { processTreeText } from '../report/layout-process-tree.js';
import type { NodeProcessTree, ProcessTreeSource } from './tour-context.js';

/** Handout-friendly widths: about 120 characters per line with the annotation column. */
const TREE_LAYOUT = { commandWidth: 62, annotationWidth: 54 };

/**
 * Trees come from the same snapshot and renderer as `lab inspect` / `lab report`, limited to one
 * node so a tour step does not wait for the whole cluster.
 */
export class InspectProcessTreeSource implements ProcessTreeSource {
  constructor(
    private readonly deps: InspectDependencies,
    private readonly cluster: string,
    private readonly kubeconfigText: string,
    private readonly texts: Annotations,
  ) {}

  async nodeTree(nodeName: string): Promise<NodeProcessTree> {
    const snapshot = await inspectCluster(
      { ...this.deps, containers: onlyNode(this.deps.containers, nodeName) },
      { cluster: this.cluster, kubeconfigText: this.kubeconfigText },
    );
    const model = buildReportModel(snapshot, this.texts);
    const node = model.nodes.find((n) => n.name === nodeName);
    if (!node) throw new Error(`failed to inspect node ${nodeName}: not in the snapshot (${snapshot.warnings.join('; ')})`);
    return {
      text: processTreeText(node.rows, TREE_LAYOUT).join('\n'),
      processes: node.rows.map((row) => ({
        pid: row.pid,
        args: row.args,
        component: row.kind === 'shim' ? 'shim' : row.kind === 'pause' ? 'pause' : row.component,
        pod: row.pod,
      })),
    };
  }
}

function onlyNode(containers: ClusterContainers, nodeName: string): ClusterContainers {
  return {
    listClusters: () => containers.listClusters(),
    listContainers: async (cluster: string): Promise<ClusterContainer[]> =>
      (await containers.listContainers(cluster)).filter((c) => c.name === nodeName),
    stats: (id: string) => containers.stats(id),
  };
}
