import type { KubeApi } from '../kube/kube-api.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { resolveLabName } from '../common/resolve-lab-name.js';
import { defaultInspectDependencies } from '../inspect/default-inspect-dependencies.js';
import type { ClusterContainer, ClusterContainers } from '../inspect/docker/cluster-containers.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { DockerCli } from '../docker/docker-cli.js';
import type { InspectDependencies } from '../inspect/inspect-cluster.js';
import { connectAdmin } from '../inspect/k8s/connect-admin.js';
import { loadAnnotations } from '../report/annotations.js';
import { RUN_OWNER_ANNOTATION } from '../common/labels.js';
import { currentRunOwner, newRunId, type ProcessTable } from '../common/run-owner.js';
import { cleanupTourObjects, removeDeadTourRuns, tourObjectLabels, tourObjectName, type CleanupReport } from './cleanup-tour-objects.js';
import { describeTopology, nodeForRole } from './cluster-topology.js';
import { findPodImage } from './find-pod-image.js';
import { InspectProcessTreeSource } from './inspect-process-tree-source.js';
import { loadTourLab } from './load-tour-lab.js';
import { startTour, type TourRun } from './run-tour.js';
import type { TourContext } from './tour-context.js';
import type { TourLab } from './tour-lab.js';

/** The edges of inspect (Docker, node exec, the API), which the tour's process trees use too, and a clock. */
export interface TourDependencies extends InspectDependencies {
  now: () => Date;
  /** The API path's one connection (a hosted lab); by default the admin.conf read from a control plane. */
  connectKube?: () => Promise<KubeApi>;
}

export function defaultTourDependencies(docker: DockerCli = defaultDockerCli()): TourDependencies {
  return { ...defaultInspectDependencies(docker), now: () => new Date() };
}

export interface TourOptions {
  /** Cluster (lab) name; optional when exactly one cluster runs. */
  cluster?: string;
  /** A lab name under labs/ or a path to a lab file. */
  lab: string;
  signal: AbortSignal;
  /** How long one step may wait for the cluster (pods to run, replacements to appear). */
  waitMs?: number;
  namespace?: string;
  /** This run's id (random by default), in the name and labels of every object the tour creates. */
  runId?: string;
  processes?: ProcessTable;
}

export interface PreparedTour {
  lab: TourLab;
  run: TourRun;
  runId: string;
  /** Deletes every object this run created (by its run label) and waits until they are gone. Safe to call twice. */
  cleanup(): Promise<CleanupReport>;
}

const DEFAULT_WAIT_MS = 180_000;

/**
 * Loads the lab, finds the cluster by label, connects to its API and clears leftovers of earlier
 * tours whose process is gone; tours running at the same time keep theirs.
 */
export async function prepareTour(options: TourOptions, deps: TourDependencies = defaultTourDependencies()): Promise<PreparedTour> {
  const lab = loadTourLab(options.lab);
  const { cluster, containers } = await findLab(deps.containers, options.cluster);
  if (!containers.some((c) => c.role === 'control-plane')) {
    throw new UsageError(`lab ${cluster} has no control-plane node`, { hint: `see \`lab status ${cluster}\`` });
  }
  const topology = describeTopology(cluster, containers);
  const connectKube = deps.connectKube ?? connectAdmin(deps, containers);
  const kube = await connectKube();
  const namespace = options.namespace ?? 'default';
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const runId = options.runId ?? newRunId();
  const owner = currentRunOwner(options.processes);
  const scope = { kube, namespace, lab: cluster };
  const cleanup = (): Promise<CleanupReport> => cleanupTourObjects(scope, runId, { waitMs, pollMs: 500 });
  await removeDeadTourRuns(scope, runId, { waitMs, pollMs: 500, signal: options.signal, ...(options.processes ? { processes: options.processes } : {}) });

  let podImage: Promise<string> | undefined;
  const ctx: TourContext = {
    topology,
    exec: deps.exec,
    kube,
    trees: new InspectProcessTreeSource(deps, cluster, connectKube, loadAnnotations('en')),
    namespace,
    objectLabels: tourObjectLabels(cluster, runId),
    objectAnnotations: owner ? { [RUN_OWNER_ANNOTATION]: owner } : {},
    objectName: (name) => tourObjectName(name, runId),
    signal: options.signal,
    timeouts: { waitMs, pollMs: 500 },
    podImage: () => (podImage ??= findPodImage(deps.exec, nodeForRole(topology, 'worker').node)),
    now: deps.now,
  };
  return { lab, run: startTour(lab, ctx), runId, cleanup };
}

async function findLab(containers: ClusterContainers, requested: string | undefined): Promise<{ cluster: string; containers: ClusterContainer[] }> {
  try {
    const cluster = await resolveLabName(containers, requested, 'tour');
    return { cluster, containers: await containers.listContainers(cluster) };
  } catch (error) {
    if (error instanceof KindlabError) throw error;
    throw new KindlabError(`failed to reach Docker: ${(error as Error).message}`, {
      cause: error,
      hint: 'is the Docker daemon running? `lab host prepare` starts it',
    });
  }
}
