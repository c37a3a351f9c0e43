import type { NodeExec } from '../node/node-exec.js';
import type { NodeSnapshot, Snapshot } from '../inspect/snapshot.js';
import { etcdctlArgv } from '../inspect/etcdctl-argv.js';
import { CRICTL_IMAGES_ARGV, parseCrictlImageTags } from '../inspect/parse-crictl-output.js';
import { parseEndpointHealth, parseMemberList } from '../inspect/parse-etcdctl-output.js';
import { HAPROXY_CONFIG, parseHaproxyBackends } from '../inspect/parse-haproxy-config.js';
import { parseSsOutput } from '../inspect/parse-ss-output.js';
import { clusterNodes, isRunning, nodesWithRole, stackedEtcdContainer } from './checks/snapshot-queries.js';
import type { ClusterEvidence, Probe } from './cluster-evidence.js';
import type { Expectation } from './expectation.js';
import { runProbePods } from './run-probe-pods.js';
import { gatherApiFront } from './gather-api-front.js';
import type { KubeApi } from '../kube/kube-api.js';

export interface GatherDependencies {
  exec: NodeExec;
  /** Undefined when no kubeconfig could be built; API-based checks then fail with that reason. */
  kube: KubeApi | { error: string };
  probeTimeoutMs?: number;
  signal?: AbortSignal;
  /** Nodes are read through the API (no Docker): the load balancer's stand-ins are gathered from the API. */
  apiPath?: boolean;
}

const EXEC_TIMEOUT_MS = 30_000;

/** Gathers what the snapshot does not hold, all in parallel. Failures become `ok: false` probes. */
export async function gatherEvidence(snapshot: Snapshot, expectation: Expectation, deps: GatherDependencies): Promise<ClusterEvidence> {
  const running = clusterNodes(snapshot).filter(isRunning);
  const kube = 'error' in deps.kube ? undefined : deps.kube;
  const kubeError = 'error' in deps.kube ? deps.kube.error : '';

  // The API path has no load balancer container: what stands for it is read through the API.
  const viaApi = kube && deps.apiPath === true;
  const [apiVersion, connections, backends, etcd, logs, probePods, front] = await Promise.all([
    kube
      ? probe(async () => ({ server: kube.server, gitVersion: await withTimeout(kube.gitVersion(), EXEC_TIMEOUT_MS, 'GET /version') }))
      : Promise.resolve(failed<{ server: string; gitVersion: string }>(kubeError)),
    Promise.all(running.map(async (node) => [node.name, await kubeletConnections(deps.exec, node)] as const)),
    loadBalancerBackends(deps.exec, snapshot, expectation),
    etcdFacts(deps.exec, snapshot, expectation),
    Promise.all(running.map(async (node) => [node.name, await kubeletLog(kube, kubeError, snapshot, node)] as const)),
    expectation.probes ? probePodsOf(deps, kube, kubeError, snapshot) : Promise.resolve(undefined),
    viaApi ? gatherApiFront(kube, deps.exec, snapshot) : Promise.resolve(undefined),
  ]);

  return {
    snapshot,
    apiVersion,
    kubeletConnections: Object.fromEntries(connections),
    ...(backends ? { loadBalancerBackends: backends } : {}),
    ...(etcd.health ? { etcdHealth: etcd.health } : {}),
    ...(etcd.members ? { etcdMembers: etcd.members } : {}),
    kubeletLogs: Object.fromEntries(logs.filter(([, log]) => log !== undefined)) as ClusterEvidence['kubeletLogs'],
    ...(probePods ? { probePods } : {}),
    ...(front ?? {}),
  };
}

async function kubeletConnections(exec: NodeExec, node: NodeSnapshot) {
  const argv = ['ss', '-Htnp', 'state', 'established'];
  return execProbe(exec, node, argv, (stdout) => parseSsOutput(stdout, 'ESTAB'));
}

async function loadBalancerBackends(exec: NodeExec, snapshot: Snapshot, expectation: Expectation) {
  const lb = nodesWithRole(snapshot, 'external-load-balancer')[0];
  if (!expectation.loadBalancer || !lb || !isRunning(lb)) return undefined;
  return execProbe(exec, lb, ['cat', HAPROXY_CONFIG], parseHaproxyBackends);
}

async function etcdFacts(exec: NodeExec, snapshot: Snapshot, expectation: Expectation) {
  if (expectation.etcd === 'external') {
    const etcd = nodesWithRole(snapshot, 'external-etcd')[0];
    if (!etcd || !isRunning(etcd)) return {};
    // The lab's external etcd only answers TLS clients with a certificate from its CA (src/cluster/external-etcd.ts).
    const health = await execProbe(exec, etcd, etcdctlArgv({ external: true }, ['endpoint', 'health', '-w', 'json']), parseEndpointHealth, true);
    return { health };
  }
  // Ask any control plane whose etcd runs; `--cluster` makes it check every member it knows.
  for (const cp of nodesWithRole(snapshot, 'control-plane').filter(isRunning)) {
    const container = stackedEtcdContainer(cp);
    if (!container) continue;
    const target = { stackedContainerId: container.id };
    const [members, health] = await Promise.all([
      execProbe(exec, cp, etcdctlArgv(target, ['member', 'list', '-w', 'json']), parseMemberList),
      execProbe(exec, cp, etcdctlArgv(target, ['endpoint', 'health', '--cluster', '-w', 'json']), parseEndpointHealth, true),
    ]);
    return { members, health };
  }
  const none = failed<never>('no control plane has a running etcd container');
  return { members: none, health: none };
}

async function kubeletLog(kube: KubeApi | undefined, kubeError: string, snapshot: Snapshot, node: NodeSnapshot) {
  // kube-proxy runs on every node; any running pod there would do.
  const pods = snapshot.kubernetes.pods.filter((p) => p.nodeName === node.name && p.phase === 'Running');
  const pod = pods.find((p) => p.containers.some((c) => c.name === 'kube-proxy')) ?? pods[0];
  if (!pod) return undefined;
  if (!kube) return failed<{ pod: string; bytes: number }>(kubeError);
  const container = pod.containers[0]?.name;
  return probe(async () => {
    const text = await withTimeout(
      kube.podLog(pod.namespace, pod.name, { ...(container ? { container } : {}), tailLines: 1 }),
      EXEC_TIMEOUT_MS,
      `logs of ${pod.name}`,
    );
    return { pod: `${pod.namespace}/${pod.name}`, bytes: Buffer.byteLength(text) };
  });
}

async function probePodsOf(deps: GatherDependencies, kube: KubeApi | undefined, kubeError: string, snapshot: Snapshot) {
  if (!kube) return failed<never>(kubeError);
  const workers = nodesWithRole(snapshot, 'worker');
  const controlPlanes = nodesWithRole(snapshot, 'control-plane');
  const targets = (workers.length > 0 ? workers : controlPlanes).map((n) => n.name);
  const host = controlPlanes.find(isRunning);
  if (!host) return failed<never>('no running control plane to host the DNS target');
  // The image of the etcd the control plane runs (stacked etcd), as the snapshot names it: no exec. Else
  // (external etcd, or a read that named no image) the first etcd image its containerd holds.
  const running = host.containerd?.containers.find((c) => c.name === 'etcd' && ETCD_IMAGE.test(c.image))?.image;
  const image: Probe<string> = running ? { ok: true, value: running } : await execProbe(deps.exec, host, [...CRICTL_IMAGES_ARGV], etcdImageOf);
  if (!image.ok) return failed<never>(`no etcd image for probe pods on ${host.name}: ${image.error}`);
  return probe(() =>
    runProbePods(kube, {
      lab: snapshot.cluster,
      image: image.value,
      targets,
      targetHost: host.name,
      timeoutMs: deps.probeTimeoutMs ?? 90_000,
      ...(deps.signal ? { signal: deps.signal } : {}),
    }),
  );
}

const ETCD_IMAGE = /(^|\/)etcd:[^/]+$/;

/** The first image tagged `<registry>/etcd:<tag>` that the node's containerd holds. */
export function etcdImageOf(crictlImagesJson: string): string {
  const tag = parseCrictlImageTags(crictlImagesJson).find((t) => ETCD_IMAGE.test(t));
  if (tag) return tag;
  throw new Error('no image tagged .../etcd:<tag> in `crictl images`');
}

async function execProbe<T>(exec: NodeExec, node: NodeSnapshot, argv: string[], parse: (stdout: string) => T, parseOnFailure = false): Promise<Probe<T>> {
  const command = exec.command(node.name, argv);
  try {
    const result = await exec.exec(node.name, argv, { timeoutMs: EXEC_TIMEOUT_MS });
    if (result.exitCode !== 0 && !(parseOnFailure && result.stdout.trim())) {
      return { ok: false, error: `exit ${result.exitCode}: ${lastLine(result.stderr || result.stdout)}`, command };
    }
    return { ok: true, value: parse(result.stdout), command };
  } catch (error) {
    return { ok: false, error: (error as Error).message, command };
  }
}

async function probe<T>(gather: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await gather() };
  } catch (error) {
    return failed(errorMessage(error));
  }
}

function failed<T>(error: string): Probe<T> {
  return { ok: false, error };
}

function errorMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  const message = (error as Error).message ?? String(error);
  if (typeof body === 'string' && body) {
    try {
      return `${(JSON.parse(body) as { message?: string }).message ?? message}`;
    } catch {
      return lastLine(body);
    }
  }
  return lastLine(message);
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
