import { CommandError } from '../common/command-runner.js';
import { KindlabError } from '../common/kindlab-error.js';
import { KIND_ROLE_LABEL } from '../common/labels.js';
import { doneIf, waitUntil, type WaitCheckResult } from '../common/wait-until.js';
import type { ContainerInfo, DockerCli } from '../docker/docker-cli.js';
import { etcdctlArgv, STACKED_ETCD_CONTAINER_ARGV } from '../inspect/etcdctl-argv.js';
import { parseEndpointHealth } from '../inspect/parse-etcdctl-output.js';
import type { KubeApi } from '../kube/kube-api.js';
import { KIND_NETWORK } from './ensure-kind-network.js';
import { waitForEtcdHealthy } from './external-etcd.js';
import type { LabDeps } from './lab-deps.js';
import { clearUnroutedConnections, kubernetesServiceAddress } from './clear-unrouted-connections.js';
import { checkKubeSystemPodsReady, checkNodesReady } from './lab-readiness.js';
import { requireStoppableLab, startGroups, type LabPart } from './lab-parts.js';
import { labRunContainers } from './lab-run-containers.js';
import { compareText } from '../common/compare-text.js';

export interface StartLabResult {
  name: string;
  /** Per part, in the order started: the containers this run started. */
  started: Array<{ part: LabPart; containers: string[] }>;
  /** Every container of the lab with the address it runs on now, and the one it is pinned to ('' when none). */
  addresses: Array<{ container: string; address: string; pinned: string }>;
  /** Everything was running already, e.g. again after a daemon restart (the waits still ran). */
  alreadyRunning: boolean;
}

export interface StartLabOptions {
  /** One budget for all the waits (as `lab up --wait`). */
  waitMs: number;
  signal?: AbortSignal;
  output?: (line: string) => void;
}

/**
 * Starts a stopped lab part by part (lab-parts.ts START_ORDER), each container on the address it
 * is pinned to, then waits until it is healthy again: external etcd healthy (before the control
 * planes), every node Ready and every kube-system pod Ready as reported AFTER this start (not what
 * the API still remembers from before the stop), and every stacked etcd member healthy as seen by
 * each control plane.
 */
export async function startLab(deps: Pick<LabDeps, 'docker' | 'kind' | 'kube'>, name: string, options: StartLabOptions): Promise<StartLabResult> {
  const { docker } = deps;
  const { containers, metadata } = await requireStoppableLab(docker, name, 'start');
  const deadline = Date.now() + options.waitMs;
  const budget = `the --wait budget of ${Math.round(options.waitMs / 1000)}s`;
  const waitOptions = { deadline, budget, intervalMs: 2000, onProgress: options.output, ...(options.signal ? { signal: options.signal } : {}) };
  const result: StartLabResult = { name, started: [], addresses: [], alreadyRunning: containers.every((c) => c.state === 'running') };

  for (const group of startGroups(containers)) {
    const stopped = group.containers.filter((c) => c.state !== 'running');
    if (stopped.length > 0) {
      options.output?.(`starting ${group.part}: ${stopped.map((c) => `${c.name}${pinnedText(c)}`).join(', ')}`);
      await startContainers(docker, name, stopped, options.signal);
      result.started.push({ part: group.part, containers: stopped.map((c) => c.name) });
    }
    if (group.part === 'external etcd') {
      await waitForEtcdHealthy(docker, name, Math.max(deadline - Date.now(), 1), options.signal);
      options.output?.('external etcd is healthy');
    }
  }

  // Also right after a daemon restart (everything running again by its restart policy), the API may still show what was before.
  const running = await labRunContainers(docker, name);
  const since = new Map(running.filter((c) => c.labels[KIND_ROLE_LABEL] && c.startedAt).map((c) => [c.name, Date.parse(c.startedAt as string)]));
  const kube: KubeApi = deps.kube(await (await deps.kind()).getKubeconfig(name));
  const nodeContainers = containers.filter((c) => c.labels[KIND_ROLE_LABEL] === 'control-plane' || c.labels[KIND_ROLE_LABEL] === 'worker');
  const expected = metadata ? metadata.controlPlanes + metadata.workers : nodeContainers.length;
  const hint = 'give a slow machine more with --wait; `lab status` shows what is not back';
  await waitUntil(() => checkNodesReady(kube, expected, since), { ...waitOptions, what: 'nodes Ready after the start', hint });
  // While pods are not Ready: clear the nodes' untranslated dials of the API's ClusterIP (clear-unrouted-connections.ts).
  const nodeNames = nodeContainers.map((c) => c.name);
  let apiAddress: string | undefined;
  await waitUntil(
    async () => {
      const pods = await checkKubeSystemPodsReady(kube, since);
      if (!pods.done) {
        apiAddress ??= await kubernetesServiceAddress(kube);
        if (apiAddress) await clearUnroutedConnections(docker, nodeNames, apiAddress);
      }
      return pods;
    },
    { ...waitOptions, what: 'kube-system pods Running and Ready after the start', hint },
  );
  const controlPlanes = containers.filter((c) => c.labels[KIND_ROLE_LABEL] === 'control-plane');
  if (metadata?.etcd !== 'external') {
    await waitUntil(
      () =>
        checkStackedEtcdHealthy(
          docker,
          controlPlanes.map((c) => c.name),
        ),
      { ...waitOptions, what: 'every etcd member healthy', hint },
    );
  }

  result.addresses = running
    .map((c) => ({ container: c.name, address: c.networks[KIND_NETWORK]?.ipv4 ?? '', pinned: c.networks[KIND_NETWORK]?.pinnedIpv4 ?? '' }))
    .sort((a, b) => compareText(a.container, b.container));
  return result;
}

async function startContainers(docker: DockerCli, lab: string, containers: ContainerInfo[], signal?: AbortSignal): Promise<void> {
  try {
    await docker.startContainers(
      containers.map((c) => c.id),
      signal ? { signal } : {},
    );
  } catch (error) {
    if (error instanceof CommandError && /Address already in use/.test(error.result?.stderr ?? '')) {
      const pinned = containers.map((c) => `${c.name} ${c.networks[KIND_NETWORK]?.pinnedIpv4 ?? '(not pinned)'}`).join(', ');
      throw new KindlabError(`failed to start lab ${lab}: another container on network ${KIND_NETWORK} holds an address of ${pinned}`, {
        cause: error,
        hint: `see who with \`docker network inspect ${KIND_NETWORK}\`; stop or remove that container, then run \`lab start ${lab}\` again`,
      });
    }
    throw error;
  }
}

/**
 * Every stacked etcd member healthy, as each control plane's own etcd sees the cluster
 * (`etcdctl endpoint health --cluster` in its etcd container): all `controlPlanes` members answer.
 */
export async function checkStackedEtcdHealthy(docker: DockerCli, controlPlanes: readonly string[]): Promise<WaitCheckResult<undefined>> {
  const seen: string[] = [];
  for (const node of controlPlanes) {
    const ps = await docker.exec(node, STACKED_ETCD_CONTAINER_ARGV, { allowFailure: true, timeoutMs: 20_000 });
    const id = ps.stdout.trim().split('\n')[0];
    if (ps.exitCode !== 0 || !id) return doneIf(false, `${node}: etcd container not running yet`);
    const health = await docker.exec(node, etcdctlArgv({ stackedContainerId: id }, ['endpoint', 'health', '--cluster', '-w', 'json']), {
      allowFailure: true,
      timeoutMs: 30_000,
    });
    let endpoints;
    try {
      endpoints = parseEndpointHealth(health.stdout);
    } catch {
      return doneIf(false, `${node}: ${(health.stderr || health.stdout).trim().split('\n').pop() ?? 'no answer from etcdctl'}`);
    }
    const healthy = endpoints.filter((e) => e.health).length;
    if (healthy !== controlPlanes.length || endpoints.length !== controlPlanes.length) {
      return doneIf(false, `${node} sees ${healthy}/${controlPlanes.length} etcd members healthy`);
    }
    seen.push(node);
  }
  return doneIf(true, `${controlPlanes.length}/${controlPlanes.length} etcd members healthy, seen from ${seen.join(', ')}`);
}

function pinnedText(c: ContainerInfo): string {
  const pinned = c.networks[KIND_NETWORK]?.pinnedIpv4;
  return pinned ? ` (${pinned})` : ' (no fixed address)';
}
