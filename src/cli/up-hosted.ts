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
import { readKubeconfigFlag } from './read-kubeconfig-flag.js';

export interface HostedUpFlags {
  hostCluster: string;
  hostContext: string | undefined;
  hostNamespace: string | undefined;
  room: boolean;
  json: boolean;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `lab up … --host-cluster FILE`: the flags are checked and the host's kubeconfig read before
 * anything is created; then createHostedLab does the work (src/hosted/).
 */
export async function runHostedUp(input: TopologyInput, flags: HostedUpFlags): Promise<void> {
  if (flags.room)
    throw new UsageError('--count, --participants and --prefix do not go with --host-cluster yet', {
      hint: 'run `lab up --host-cluster` once per lab, each with its own --name',
    });
  const spec = buildTopologySpec(input);
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
  try {
    const result = await createHostedLab(
      {
        host: connectHttpsKubeApi(hostText),
        kube: connectHttpsKubeApi,
        docker: dockerAnswers ? docker : undefined,
        home: kindlabHome(),
        now: () => new Date(),
      },
      spec,
      {
        renderer: flags.json ? 'silent' : 'default',
        ...(flags.json ? { onEvent: print } : {}),
        signal: interrupt.signal,
        host: { kubeconfig: isAbsolute(flags.hostCluster) ? flags.hostCluster : resolve(flags.hostCluster), context, server: kubeconfigServer(hostText) },
        namespace,
        kubeconfigPath,
        nodeImage: spec.image ?? OFFLINE_NODE_IMAGE,
      },
    );
    if (interrupt.signal.aborted)
      throw new KindlabError(`lab up interrupted by ${String(interrupt.signal.reason)}`, { exitCode: exitCodeForSignal(interrupt.signal.reason) });
    if (flags.json) print({ event: 'result', ok: true, result });
    else
      process.stdout.write(
        `lab ${result.name} is up in ${(result.totalMs / 1000).toFixed(0)}s inside pod ${result.namespace}/${result.pod} on ${result.hostNode ?? 'the host cluster'}: ${result.topology}, image ${result.nodeImage}\n` +
          `  kubectl --context ${result.context} get nodes -o wide      (API ${result.server})\n` +
          `  lab verify ${result.name}    lab report ${result.name}    lab down ${result.name}\n`,
      );
  } catch (error) {
    if (flags.json) print({ event: 'result', ok: false, error: (error as Error).message, exitCode: error instanceof KindlabError ? error.exitCode : 1 });
    throw error;
  } finally {
    interrupt.dispose();
  }
}
