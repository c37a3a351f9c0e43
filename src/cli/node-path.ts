import { Option, type Command } from './commander.js';
import { UsageError } from '../common/kindlab-error.js';
import type { ApiPathDependencies } from '../inspect/k8s/api-inspect-dependencies.js';
import { abortOnSignals, exitCodeForSignal } from './abort-on-signals.js';
import type { KubeconfigFlags } from './add-kubeconfig-options.js';
import { choiceOption } from './choice-option.js';

export const NODE_PATHS = ['docker', 'api'] as const;
export type NodePath = (typeof NODE_PATHS)[number];

export interface NodePathFlags extends KubeconfigFlags {
  via?: NodePath;
  agentImage?: string;
}

/** `--via` and `--agent-image` of the commands that read nodes (inspect, report, verify, tour). */
export function addNodePathOptions(command: Command): Command {
  return command
    .addOption(
      choiceOption(
        '--via <path>',
        'how nodes are read: docker (exec into the kind node containers) or api (an agent pod per node, through --kubeconfig alone); default: docker for a local kind lab, else api',
        NODE_PATHS,
      ),
    )
    .addOption(new Option('--agent-image <image>', "api path: the agent pods' image (default: kube-proxy's, which kindlab's node image holds)"));
}

/** The flags' combinations that mean nothing, refused before anything is read. */
export function checkNodePathFlags(flags: NodePathFlags): void {
  if (flags.via === 'api' && !flags.kubeconfig) throw new UsageError('--via api needs --kubeconfig', { hint: 'pass the kubeconfig of the cluster to read' });
  if (flags.agentImage !== undefined && flags.via === 'docker')
    throw new UsageError('--agent-image has no effect with --via docker', { hint: 'drop one of them' });
  if (flags.agentImage !== undefined && !flags.kubeconfig) throw new UsageError('--agent-image needs --kubeconfig: agents run on the API path only');
}

/**
 * Docker unless a kubeconfig is given and the cluster is not a kind lab this machine's Docker
 * reaches (no daemon, or no lab by that name); `--via` decides when given.
 */
export async function chooseNodePath(flags: NodePathFlags, lab: string): Promise<NodePath> {
  if (flags.via) return flags.via;
  if (!flags.kubeconfig) return 'docker';
  const [{ defaultDockerCli }, { DockerClusterContainers }] = await Promise.all([
    import('../docker/default-docker-cli.js'),
    import('../inspect/docker/docker-cluster-containers.js'),
  ]);
  const labs = await new DockerClusterContainers(defaultDockerCli()).listClusters().catch(() => [] as string[]);
  return labs.includes(lab) ? 'docker' : 'api';
}

/** The lab's name on the API path: the one given, else the context's (`kind-<lab>` as `lab up` writes it). */
export function apiPathClusterName(kubeconfigText: string, name: string | undefined): Promise<string> {
  if (name) return Promise.resolve(name);
  return import('js-yaml').then(({ load }) => {
    const context = (load(kubeconfigText) as { 'current-context'?: string })['current-context'] ?? 'cluster';
    return context.startsWith('kind-') ? context.slice('kind-'.length) : context;
  });
}

/**
 * Runs work with the API path's edges; Ctrl-C aborts it, and the run's agent pods are deleted
 * afterwards in every case (done, failed or interrupted).
 */
export async function onApiPath<T>(
  flags: NodePathFlags,
  kubeconfigText: string,
  cluster: string,
  work: (deps: ApiPathDependencies, signal: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
  const [{ apiPathDependencies }, { connectHttpsKubeApi }] = await Promise.all([
    import('../inspect/k8s/api-inspect-dependencies.js'),
    import('../kube/https-kube-api.js'),
  ]);
  const interrupt = abortOnSignals(() => {});
  const deps = apiPathDependencies(
    { kubeconfigText, cluster, signal: interrupt.signal, ...(flags.agentImage ? { agentImage: flags.agentImage } : {}) },
    connectHttpsKubeApi,
  );
  try {
    const result = await work(deps, interrupt.signal);
    // A node read that Ctrl-C stopped is a warning in the snapshot, not an error: the run still ends as interrupted.
    interrupt.signal.throwIfAborted();
    return result;
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    process.stderr.write('interrupted; the agent pods are being removed\n');
    process.exitCode = exitCodeForSignal(interrupt.signal.reason);
    return undefined;
  } finally {
    await deps.dispose();
    interrupt.dispose();
  }
}
