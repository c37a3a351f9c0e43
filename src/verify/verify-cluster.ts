import type { LabMetadata } from '../cluster/lab-metadata.js';
import { resolveLabName } from '../common/resolve-lab-name.js';
import { inspectCluster, rereadNodeProcesses, type InspectDependencies } from '../inspect/inspect-cluster.js';
import { connectAdmin } from '../inspect/k8s/connect-admin.js';
import type { KubeApi } from '../kube/kube-api.js';
import type { VerifyReport } from './check-result.js';
import type { ClusterEvidence } from './cluster-evidence.js';
import { gatherEvidence } from './gather-evidence.js';
import { inferExpectation } from './infer-expectation.js';
import { loadExpectation } from './load-expectation.js';
import { recordVerifyOutcome } from './record-verify-outcome.js';
import { runChecks } from './run-checks.js';
import { SANDBOX_SETTLE, settleSandboxReads, type SettleOptions } from './settle-sandbox-reads.js';
import type { VerifyOutcomeStore } from './verify-outcome-store.js';

/** The snapshot's edges (Docker, node exec, the API) and the record `lab up` left. */
export interface VerifyDependencies extends InspectDependencies {
  /** The lab as `lab up` recorded it (src/cluster/lab-metadata.ts); undefined for a cluster kindlab did not create. */
  readLabRecord(lab: string): Promise<LabMetadata | undefined>;
  /** Nodes are read through the Kubernetes API alone (src/inspect/k8s/api-inspect-dependencies.ts). */
  apiPath?: boolean;
}

export interface VerifyOptions {
  cluster?: string;
  /** Built-in name (single, multi, ha, external) or a file; from the lab's record when absent. */
  expect?: string;
  probeTimeoutMs?: number;
  /** Aborting stops waiting for probe pods; they are still deleted. */
  signal?: AbortSignal;
  /** Receives everything the checks looked at (`lab verify --evidence-out`), e.g. to keep it as a fixture. */
  onEvidence?: (evidence: ClusterEvidence) => void;
  /** The API path's connection (a kubeconfig given); by default the admin.conf read from a control plane. */
  connectKube?: () => Promise<KubeApi>;
  /** How long nodes caught mid-change are read again (SANDBOX_SETTLE by default). */
  sandboxSettle?: SettleOptions;
  /** Where the outcome of a kindlab lab's verify is kept (the `lab serve` index reads it); nothing is kept without it. */
  outcomes?: VerifyOutcomeStore;
}

/** Checks a live cluster against an expectation. Failed checks are results, not exceptions. */
export async function verifyCluster(deps: VerifyDependencies, options: VerifyOptions = {}): Promise<VerifyReport> {
  const now = deps.now ?? (() => new Date());
  // A bad --expect is a usage error before anything touches the cluster.
  const explicit = options.expect ? await loadExpectation(options.expect) : undefined;
  const started = now();
  const cluster = await resolveLabName(deps.containers, options.cluster, 'verify');
  // One read of the admin credentials for the snapshot and the probes.
  const connectKube = options.connectKube ?? connectAdmin(deps, await deps.containers.listContainers(cluster));
  const snapshot = await inspectCluster(deps, { cluster, connectKube, command: 'verify' });
  const sandboxReads = await settleSandboxReads(snapshot, (node) => rereadNodeProcesses(deps, node, snapshot.kubernetes), {
    ...(options.sandboxSettle ?? SANDBOX_SETTLE),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const labRecord = explicit ? undefined : await deps.readLabRecord(cluster);
  const expectation = explicit ?? (await inferExpectation(snapshot, labRecord));
  const kube = await connectKube().catch((error: unknown) => ({ error: `no API client: ${(error as Error).message}` }));
  const gathered = await gatherEvidence(snapshot, expectation, {
    exec: deps.exec,
    kube,
    ...(deps.apiPath ? { apiPath: true } : {}),
    ...(options.probeTimeoutMs !== undefined ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const evidence: ClusterEvidence = Object.keys(sandboxReads).length > 0 ? { ...gathered, sandboxReads } : gathered;
  options.signal?.throwIfAborted();
  options.onEvidence?.(evidence);
  const checks = runChecks(evidence, expectation);
  const report: VerifyReport = {
    schemaVersion: 'kindlab.dev/verify/v1',
    cluster: snapshot.cluster,
    expectation: {
      source: expectation.source,
      ...(expectation.description ? { description: expectation.description } : {}),
    },
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    checks,
    passed: checks.every((c) => c.status !== 'fail'),
  };
  if (options.outcomes) await recordVerifyOutcome(options.outcomes, report, async () => labRecord ?? (await deps.readLabRecord(cluster)));
  return report;
}
