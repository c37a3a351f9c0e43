import type { NodeExec } from '../node/node-exec.js';
import type { Snapshot } from '../inspect/snapshot.js';
import type { VerifyReport } from './check-result.js';
import type { ClusterEvidence } from './cluster-evidence.js';
import { gatherEvidence } from './gather-evidence.js';
import { inferExpectation } from './infer-expectation.js';
import { loadExpectation } from './load-expectation.js';
import { runChecks } from './run-checks.js';
import type { VerifyKubeApi } from './verify-kube-api.js';

export interface VerifyDependencies {
  /** The inspection snapshot (src/inspect); resolves the cluster name when none is given. */
  takeSnapshot(cluster: string | undefined): Promise<Snapshot>;
  exec: NodeExec;
  /** A client for the cluster's API at the endpoint kubeconfigs use (the load balancer in ha). */
  kubeApi(snapshot: Snapshot): Promise<VerifyKubeApi>;
  now?: () => Date;
}

export interface VerifyOptions {
  cluster?: string;
  /** Built-in name (single, multi, ha, external) or a file; inferred from the cluster when absent. */
  expect?: string;
  probeTimeoutMs?: number;
  /** Aborting stops waiting for probe pods; they are still deleted. */
  signal?: AbortSignal;
  /** Receives everything the checks looked at (`lab verify --evidence-out`), e.g. to keep it as a fixture. */
  onEvidence?: (evidence: ClusterEvidence) => void;
}

/** Checks a live cluster against an expectation. Failed checks are results, not exceptions. */
export async function verifyCluster(deps: VerifyDependencies, options: VerifyOptions = {}): Promise<VerifyReport> {
  const now = deps.now ?? (() => new Date());
  // A bad --expect is a usage error before anything touches the cluster.
  const explicit = options.expect ? await loadExpectation(options.expect) : undefined;
  const started = now();
  const snapshot = await deps.takeSnapshot(options.cluster);
  const expectation = explicit ?? (await inferExpectation(snapshot));
  const kube = await deps.kubeApi(snapshot).catch((error: unknown) => ({ error: `no API client: ${(error as Error).message}` }));
  const evidence = await gatherEvidence(snapshot, expectation, {
    exec: deps.exec,
    kube,
    ...(options.probeTimeoutMs !== undefined ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  options.signal?.throwIfAborted();
  options.onEvidence?.(evidence);
  const checks = runChecks(evidence, expectation);
  return {
    schemaVersion: 'kindlab.dev/verify/v1',
    cluster: snapshot.cluster,
    expectation: {
      source: explicit ? expectation.source : `${expectation.source} (inferred from the cluster)`,
      ...(expectation.description ? { description: expectation.description } : {}),
    },
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    checks,
    passed: checks.every((c) => c.status !== 'fail'),
  };
}
