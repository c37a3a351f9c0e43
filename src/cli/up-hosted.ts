import { isAbsolute, resolve } from 'node:path';
import { kubeconfigPathForMerge } from '../cluster/kubeconfig-path.js';
import { checkKindlabHome } from '../common/check-kindlab-home.js';
import { checkKubeconfigTarget } from '../common/check-kubeconfig-target.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { kindlabHome } from '../common/paths.js';
import { OFFLINE_NODE_IMAGE } from '../image/image-refs.js';
import { buildTopologySpec } from '../topology/build-topology-spec.js';
import type { TopologyInput } from '../topology/topology-spec.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import { roomLabNames } from '../room/room-lab-names-from-flags.js';
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';

export interface HostedUpFlags {
  hostCluster: string;
  hostContext: string | undefined;
  hostNamespace: string | undefined;
  /** A room (`--count N` or `--participants FILE`, with `--prefix`): one hosted lab per name. */
  count?: string;
  participants?: string;
  prefix?: string;
  json: boolean;
}

/** Labs of a room created at once after the first: each streams its images from here, and kind runs on the host's nodes. */
const ROOM_PARALLEL = 3;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `lab up … --host-cluster FILE`: the flags are checked and the host's kubeconfig read before
 * anything is created; then createHostedLab does the work (src/hosted/).
 */
export async function runHostedUp(input: TopologyInput, flags: HostedUpFlags): Promise<void> {
  const room = flags.count !== undefined || flags.participants !== undefined || flags.prefix !== undefined;
  const names = room ? roomLabNames(input, flags).names : [undefined];
  const specs = names.map((name) => buildTopologySpec(name === undefined ? input : { ...input, name }));
  const spec = specs[0]!;
  if (spec.etcd === 'external')
    throw new UsageError(
      'invalid --etcd "external" with --host-cluster: the external etcd runs beside the nodes on the local Docker, which a hosted lab has not',
      { hint: 'drop --etcd external' },
    );
  if (spec.ports.length > 0) throw new UsageError("--port does not go with --host-cluster: the lab's ports are inside its pod", { hint: 'drop --port' });
  const namespace = flags.hostNamespace ?? 'default';
  if (!NAMESPACE.test(namespace))
    throw new UsageError(`invalid --host-namespace ${JSON.stringify(namespace)}: not a Kubernetes namespace name`, { hint: 'a DNS label such as "labs"' });
  const hostText = readKubeconfigFlag(flags.hostCluster, flags.hostContext, undefined, { file: '--host-cluster', context: '--host-context' });
  checkKindlabHome();
  const kubeconfigPath = kubeconfigPathForMerge(spec.kubeconfig);
  checkKubeconfigTarget(kubeconfigPath);
  const [{ createHostedLab }, { connectHttpsKubeApi }, { kubeconfigServer }, { defaultDockerCli }, { load }] = await Promise.all([
    import('../hosted/create-hosted-lab.js'),
    import('../kube/https-kube-api.js'),
    import('../kube/kubeconfig-credentials.js'),
    import('../docker/default-docker-cli.js'),
    import('js-yaml'),
  ]);
  const docker = defaultDockerCli();
  const dockerAnswers = await docker.serverVersion().then(
    () => true,
    () => false,
  );
  const context = (load(hostText) as { 'current-context'?: string })['current-context'] ?? '';
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const interrupt = abortOnSignals((signal) => {
    if (!flags.json) process.stderr.write(`\n${signal}: stopping and removing what was created (press Ctrl-C again to quit at once)\n`);
  });
  const deps = {
    host: connectHttpsKubeApi(hostText),
    kube: connectHttpsKubeApi,
    docker: dockerAnswers ? docker : undefined,
    home: kindlabHome(),
    now: () => new Date(),
  };
  const options = {
    renderer: flags.json ? ('silent' as const) : ('default' as const),
    ...(flags.json ? { onEvent: print } : {}),
    signal: interrupt.signal,
    host: { kubeconfig: isAbsolute(flags.hostCluster) ? flags.hostCluster : resolve(flags.hostCluster), context, server: kubeconfigServer(hostText) },
    namespace,
    kubeconfigPath,
    nodeImage: spec.image ?? OFFLINE_NODE_IMAGE,
    ...(room ? { room: flags.prefix } : {}),
  };
  try {
    if (!room) {
      const result = await createHostedLab(deps, spec, options);
      if (interrupt.signal.aborted)
        throw new KindlabError(`lab up interrupted by ${String(interrupt.signal.reason)}`, { exitCode: exitCodeForSignal(interrupt.signal.reason) });
      if (flags.json) print({ event: 'result', ok: true, result });
      else process.stdout.write(describeResult(result));
      return;
    }
    // The first lab alone: it saves the image tar and puts the pod image on the host's nodes; the rest reuse both.
    const outcomes: Array<{ name: string; ok: boolean; seconds: number; error?: string; hostNode?: string }> = [];
    const runOne = async (one: (typeof specs)[number]) => {
      const started = Date.now();
      try {
        const result = await createHostedLab(deps, one, {
          ...options,
          renderer: 'silent',
          ...(flags.json ? { onEvent: (event) => print({ lab: one.name, ...event }) } : {}),
        });
        outcomes.push({ name: one.name, ok: true, seconds: (Date.now() - started) / 1000, ...(result.hostNode ? { hostNode: result.hostNode } : {}) });
        if (!flags.json) process.stdout.write(describeResult(result));
      } catch (error) {
        outcomes.push({ name: one.name, ok: false, seconds: (Date.now() - started) / 1000, error: (error as Error).message.split('\n')[0] ?? '' });
        if (!flags.json) process.stderr.write(`lab ${one.name} failed: ${(error as Error).message}\n`);
      }
    };
    if (!flags.json)
      process.stdout.write(
        `creating ${specs.length} hosted ${spec.kind} lab(s) for room ${flags.prefix} on ${options.host.server}: the first alone, then ${ROOM_PARALLEL} at a time\n`,
      );
    await runOne(specs[0]!);
    for (let i = 1; i < specs.length && !interrupt.signal.aborted; i += ROOM_PARALLEL) await Promise.all(specs.slice(i, i + ROOM_PARALLEL).map(runOne));
    if (flags.json) print({ event: 'result', ok: outcomes.every((o) => o.ok), labs: outcomes });
    if (interrupt.signal.aborted)
      throw new KindlabError(`lab up interrupted by ${String(interrupt.signal.reason)}`, { exitCode: exitCodeForSignal(interrupt.signal.reason) });
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length > 0)
      throw new KindlabError(`failed to create ${failed.length} of ${outcomes.length} hosted labs: ${failed.map((o) => o.name).join(', ')}`, {
        hint: `the ready labs are kept; \`lab down --prefix ${flags.prefix}\` removes the room`,
      });
  } catch (error) {
    if (flags.json) print({ event: 'result', ok: false, error: (error as Error).message, exitCode: error instanceof KindlabError ? error.exitCode : 1 });
    throw error;
  } finally {
    interrupt.dispose();
  }
}

function describeResult(result: {
  name: string;
  totalMs: number;
  namespace: string;
  pod: string;
  hostNode: string | undefined;
  topology: string;
  nodeImage: string;
  context: string;
  server: string;
}): string {
  return (
    `lab ${result.name} is up in ${(result.totalMs / 1000).toFixed(0)}s inside pod ${result.namespace}/${result.pod} on ${result.hostNode ?? 'the host cluster'}: ${result.topology}, image ${result.nodeImage}\n` +
    `  kubectl --context ${result.context} get nodes -o wide      (API ${result.server})\n` +
    `  lab verify ${result.name}    lab report ${result.name}    lab down ${result.name}\n`
  );
}
