import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';
import { recordedLabCost } from '../capacity/recorded-lab-costs.js';
import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { KIND_CLUSTER_LABEL, LAB_LABEL } from '../common/labels.js';
import { formatBytes } from '../common/format-bytes.js';
import { indentLines } from '../common/indent-lines.js';
import { formatCommand } from '../common/shell-quote.js';
import { doneWith, notYet, waitUntil, type WaitCheckResult } from '../common/wait-until.js';
import { makePrivateDirectory, writePrivateFile } from '../common/write-private-file.js';
import { readinessSteps, type ReadinessContext } from '../cluster/create-lab-steps.js';
import { mergeKubeconfigContext } from '../cluster/kubeconfig-context.js';
import { contextForLab } from '../cluster/kubeconfig-path.js';
import { labKubeconfigDir, labKubeconfigFile } from '../cluster/lab-kubeconfig-file.js';
import type { LabStep } from '../cluster/run-lab-steps.js';
import { DIND_IMAGE, LOAD_BALANCER_IMAGE } from '../image/image-refs.js';
import type { KubeApi } from '../kube/kube-api.js';
import { POD_START_FAILURES } from '../kube/pod-start-failures.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { renderHostedKindConfig } from './hosted-kind-config.js';
import type { HostedLabDeps } from './hosted-lab-deps.js';
import { loadImageIntoKindNodes, saveImagesForPod, schedulableNodes, type SavedImages } from './hosted-lab-images.js';
import { HOSTED_CONTAINER, hostedLabPod, hostedLabService, hostedObjectName, hostedRequests } from './hosted-lab-manifests.js';
import { HOSTED_LAB_API_VERSION, readHostedLabRecord, writeHostedLabRecord, type HostedLabRecord } from './hosted-lab-record.js';

export type HostedStepId = 'preflight' | 'images' | 'pod-image' | 'pod' | 'load' | 'kind-create' | 'kubeconfig' | 'nodes-ready' | 'pods-running';

export interface HostedLabContext extends ReadinessContext {
  spec: TopologySpec;
  deps: HostedLabDeps;
  runId: string;
  createdAt: string;
  namespace: string;
  /** --host-cluster as given (absolute), its context and server: what the record names. */
  host: HostedLabRecord['host'];
  /** The kubeconfig file the lab's context is merged into. */
  kubeconfigPath: string;
  nodeImage: string;
  room?: string;
  /** The pod's requests and where their numbers come from. */
  requests?: HostedLabRecord['requests'];
  hostNodes?: V1Node[];
  /** The pod's image: kindlab/dind tagged with its image id, so a rebuilt image is never mistaken for the one a node holds. */
  podImage?: string;
  /** This machine's pod image id (preflight), named in the tag the host nodes get. */
  podImageId?: string;
  saved?: SavedImages;
  pod?: V1Pod;
  nodePort?: number;
  /** The lab's API as this machine reaches it. */
  server?: string;
  kube?: KubeApi;
  /** What this run got to create; the cleanup removes it by run id. */
  created: Set<'objects' | 'context' | 'record'>;
  notes: string[];
}

export type HostedLabStep = LabStep<HostedLabContext, HostedStepId>;

/** How long a hosted pod may take to be Ready: scheduling (a full room waits for room), the image, dockerd's start. */
const POD_READY_TIMEOUT_MS = 5 * 60_000;
/** kind inside a pod on a shared host: the node image is already loaded, so this is kubeadm's time plus margin. */
const KIND_CREATE_TIMEOUT_MS = 15 * 60_000;

/** preflight -> the lab's images saved -> the pod image on the host nodes -> pod Ready -> images loaded -> kind create -> kubeconfig -> nodes Ready -> kube-system pods Ready. */
export function createHostedLabSteps(): HostedLabStep[] {
  return [preflight, saveImages, podImage, startPod, loadImages, kindCreate, kubeconfig, ...readinessSteps<HostedLabContext>()];
}

const preflight: HostedLabStep = {
  id: 'preflight',
  title: (ctx) => `Check the host cluster ${ctx.host.server} and the name ${ctx.spec.name}`,
  async run(ctx, io) {
    const { spec, deps } = ctx;
    if (readHostedLabRecord(spec.name, deps.home))
      throw new UsageError(`invalid --name ${JSON.stringify(spec.name)}: a hosted lab of that name exists`, {
        hint: `remove it with \`lab down ${spec.name}\`, or pick another --name`,
      });
    const local = deps.docker ? await deps.docker.containersWithLabel(KIND_CLUSTER_LABEL, spec.name).catch(() => []) : [];
    if (local.length > 0)
      throw new UsageError(`invalid --name ${JSON.stringify(spec.name)}: a lab of that name runs on this machine's Docker`, { hint: 'pick another --name' });
    // Checked before anything is saved or created: a machine that loaded a bundle may lack it.
    if (deps.docker) {
      ctx.podImageId = (await deps.docker.imageInfo(DIND_IMAGE))?.id;
      if (!ctx.podImageId)
        throw new UsageError(`failed to find image ${DIND_IMAGE} on this machine's Docker`, {
          hint: 'run `lab image build`, or `lab image load` an archive that `lab image save --hosted` wrote',
        });
    }
    let version: string;
    try {
      version = await ctx.deps.host.gitVersion();
    } catch (cause) {
      throw new KindlabError(`failed to reach the host cluster at ${ctx.host.server}`, {
        cause,
        hint: 'check --host-cluster and --host-context: `kubectl --kubeconfig FILE get nodes` must work',
      });
    }
    // Another machine's hosted lab of this name (its record is not here): its pod holds the name in the host cluster.
    const taken = await deps.host.list('pod', ctx.namespace, `${LAB_LABEL}=${spec.name}`);
    if (taken.length > 0)
      throw new UsageError(
        `invalid --name ${JSON.stringify(spec.name)}: pod ${taken[0]!.metadata?.name} of a lab of that name runs in the host cluster (namespace ${ctx.namespace})`,
        {
          hint: 'pick another --name',
        },
      );
    ctx.hostNodes = schedulableNodes(await deps.host.listNodes());
    if (ctx.hostNodes.length === 0)
      throw new UsageError(`failed to find a node the host cluster can schedule the lab's pod to`, {
        hint: 'every node is NotReady, cordoned or tainted NoSchedule',
      });
    io.output(`Kubernetes ${version}, ${ctx.hostNodes.length} schedulable node(s)`);
  },
};

/** The images kind runs inside the pod: the node image, and the load balancer's for several control planes. */
export function hostedLabImages(spec: Pick<TopologySpec, 'controlPlanes'>, nodeImage: string): string[] {
  return spec.controlPlanes > 1 ? [nodeImage, LOAD_BALANCER_IMAGE] : [nodeImage];
}

const saveImages: HostedLabStep = {
  id: 'images',
  title: (ctx) => `Save ${hostedLabImages(ctx.spec, ctx.nodeImage).join(' and ')} for the pod`,
  async run(ctx, io) {
    const docker = ctx.deps.docker;
    if (!docker)
      throw new UsageError(`failed to save the lab's images: no Docker daemon answers on this machine`, {
        hint: 'run `lab host prepare` and `lab image build` (or `lab image load FILE`) here',
      });
    ctx.saved = await saveImagesForPod(docker, hostedLabImages(ctx.spec, ctx.nodeImage), ctx.deps.home, io.signal);
    io.output(`${ctx.saved.path} (${formatBytes(ctx.saved.bytes)}${ctx.saved.reused ? ', saved by an earlier hosted lab' : ''})`);
  },
};

const podImage: HostedLabStep = {
  id: 'pod-image',
  title: () => `Put ${DIND_IMAGE} on the host cluster's nodes`,
  async run(ctx, io) {
    const docker = ctx.deps.docker;
    // The nodes report images by name only, and a rebuild keeps the tag: the id in the tag tells builds apart.
    const id = ctx.podImageId;
    ctx.podImage = id ? `${DIND_IMAGE}-${id.replace(/^sha256:/, '').slice(0, 12)}` : DIND_IMAGE;
    if (docker && ctx.podImage !== DIND_IMAGE) await docker.run(['tag', DIND_IMAGE, ctx.podImage], { signal: io.signal });
    const loaded = await loadImageIntoKindNodes(docker, ctx.hostNodes ?? [], ctx.podImage, ctx.deps.home, io.signal);
    io.output(`${ctx.podImage}: ${loaded.length ? `imported into ${loaded.join(', ')}` : 'every schedulable node has it'}`);
  },
};

const startPod: HostedLabStep = {
  id: 'pod',
  title: (ctx) => `Start pod ${hostedObjectName(ctx.spec.name)} in ${ctx.namespace} and wait until its Docker answers`,
  async run(ctx, io) {
    const { spec, deps } = ctx;
    const cost = recordedLabCost(spec.kind, spec.profile === 'default' ? undefined : spec.profile);
    const objects = { lab: spec.name, runId: ctx.runId, namespace: ctx.namespace, image: ctx.podImage ?? DIND_IMAGE, cost };
    ctx.created.add('objects');
    const service = await deps.host.create('service', ctx.namespace, hostedLabService(objects));
    ctx.nodePort = service.spec?.ports?.[0]?.nodePort;
    await deps.host.create('pod', ctx.namespace, hostedLabPod(objects));
    const { cpu, memory } = hostedRequests(cost);
    ctx.requests = { cpu, memory, source: cost.source };
    io.output(`requests ${cpu} CPU, ${memory} memory (${cost.source})`);
    ctx.pod = await waitUntil((signal) => checkPodReady(deps.host, ctx.namespace, hostedObjectName(spec.name), signal), {
      what: `pod ${hostedObjectName(spec.name)} Ready (its Docker daemon answering)`,
      timeoutMs: POD_READY_TIMEOUT_MS,
      intervalMs: 500,
      signal: io.signal,
      onProgress: io.output,
      stopOn: (error) => error instanceof KindlabError,
      hint: `kubectl --kubeconfig ${ctx.host.kubeconfig} -n ${ctx.namespace} describe pod ${hostedObjectName(spec.name)}`,
    });
    io.output(`on node ${ctx.pod.spec?.nodeName} (${ctx.pod.status?.hostIP}), API at node port ${ctx.nodePort}`);
  },
};

async function checkPodReady(host: KubeApi, namespace: string, name: string, _signal: AbortSignal): Promise<WaitCheckResult<V1Pod>> {
  const pod = await host.read('pod', namespace, name);
  const phase = pod.status?.phase ?? 'Pending';
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  if (phase === 'Failed' || phase === 'Succeeded' || (waiting?.reason && POD_START_FAILURES.has(waiting.reason)))
    throw new KindlabError(
      `failed to start pod ${namespace}/${name}: ${phase}${waiting?.reason ? `, ${waiting.reason}: ${waiting.message ?? ''}` : ''}`.trim(),
    );
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  if (ready) return doneWith(pod);
  return notYet(
    unscheduled
      ? `not scheduled: ${unscheduled.message ?? unscheduled.reason}`
      : `${phase}${waiting?.reason ? ` (${waiting.reason})` : ''}, Docker not answering yet`,
  );
}

const loadImages: HostedLabStep = {
  id: 'load',
  title: () => "Load the images into the pod's Docker",
  async run(ctx, io) {
    const saved = required(ctx.saved, 'saved images');
    const result = await execInLabPod(ctx, ['docker', 'load'], {
      stdin: createReadStream(saved.path, { highWaterMark: 1 << 20 }),
      timeoutMs: 15 * 60_000,
      signal: io.signal,
    });
    io.output(result.trim().split('\n').join('; '));
  },
};

const kindCreate: HostedLabStep = {
  id: 'kind-create',
  title: (ctx) => `Create ${ctx.spec.kind} lab ${ctx.spec.name} with kind inside the pod`,
  async run(ctx, io) {
    // Every host node's address: the Service answers on all of them, and the certificate must name the one used.
    const addresses = (ctx.hostNodes ?? []).flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address));
    const config = renderHostedKindConfig(ctx.spec, addresses);
    await execInLabPod(ctx, ['kind', 'create', 'cluster', '--name', ctx.spec.name, '--image', ctx.nodeImage, '--config', '/dev/stdin', '--wait', '0s'], {
      stdin: Readable.from([Buffer.from(config)]),
      timeoutMs: KIND_CREATE_TIMEOUT_MS,
      signal: io.signal,
    });
    io.output(`certificate names ${addresses.join(', ')}`);
  },
};

const kubeconfig: HostedLabStep = {
  id: 'kubeconfig',
  title: (ctx) => `Write the lab's kubeconfig and merge context ${contextForLab(ctx.spec.name)} into ${ctx.kubeconfigPath}`,
  async run(ctx, io) {
    const pod = required(ctx.pod, 'pod');
    const nodePort = required(ctx.nodePort, 'node port');
    ctx.server = `https://${pod.status?.hostIP}:${nodePort}`;
    const text = pointKubeconfigAt(
      await execInLabPod(ctx, ['kind', 'get', 'kubeconfig', '--name', ctx.spec.name], { timeoutMs: 60_000, signal: io.signal }),
      ctx.server,
    );
    makePrivateDirectory(labKubeconfigDir());
    const own = labKubeconfigFile(ctx.spec.name);
    writePrivateFile(own, text);
    ctx.created.add('context');
    await mergeKubeconfigContext(ctx.kubeconfigPath, text);
    ctx.kube = ctx.deps.kube(text);
    const record: HostedLabRecord = {
      apiVersion: HOSTED_LAB_API_VERSION,
      name: ctx.spec.name,
      runId: ctx.runId,
      createdAt: ctx.createdAt,
      topology: ctx.spec.kind,
      etcd: ctx.spec.etcd,
      controlPlanes: ctx.spec.controlPlanes,
      workers: ctx.spec.workers,
      profile: ctx.spec.profile,
      nodeImage: ctx.nodeImage,
      host: ctx.host,
      namespace: ctx.namespace,
      pod: hostedObjectName(ctx.spec.name),
      service: hostedObjectName(ctx.spec.name),
      ...(pod.spec?.nodeName ? { hostNode: pod.spec.nodeName } : {}),
      server: ctx.server,
      kubeconfig: own,
      mergedInto: ctx.kubeconfigPath,
      ...(ctx.room ? { room: ctx.room } : {}),
      ...(ctx.requests ? { requests: ctx.requests } : {}),
    };
    ctx.created.add('record');
    writeHostedLabRecord(record, ctx.deps.home);
    io.output(`${ctx.server}; ${own}`);
  },
};

/** kind's kubeconfig names the API at 0.0.0.0:6443 inside the pod; outside it is a host node's address and the node port. */
export function pointKubeconfigAt(text: string, server: string): string {
  const config = load(text) as { clusters?: Array<{ cluster?: { server?: string } }> };
  if (config?.clusters?.length !== 1) throw new KindlabError('failed to read the lab kubeconfig: expected exactly one cluster (as kind writes it)');
  config.clusters[0]!.cluster = { ...config.clusters[0]!.cluster, server };
  return dump(config, { lineWidth: -1 });
}

/** Runs argv in the lab's pod; a non-zero exit is an error carrying the command, ready to paste. */
async function execInLabPod(
  ctx: HostedLabContext,
  argv: readonly string[],
  options: { stdin?: Readable; timeoutMs: number; signal: AbortSignal },
): Promise<string> {
  const pod = hostedObjectName(ctx.spec.name);
  const result = await ctx.deps.host.execInPod(ctx.namespace, pod, HOSTED_CONTAINER, argv, options);
  if (result.exitCode !== 0) {
    const shown = formatCommand('kubectl', [
      '--kubeconfig',
      ctx.host.kubeconfig,
      'exec',
      ...(options.stdin ? ['-i'] : []),
      '-n',
      ctx.namespace,
      pod,
      '--',
      ...argv,
    ]);
    const detail = (result.stderr || result.stdout).trimEnd().split('\n').slice(-15).join('\n');
    throw new KindlabError(`failed to run ${argv.slice(0, 2).join(' ')} in the lab's pod (exit ${result.exitCode}):\n  $ ${shown}\n${indentLines(detail, 2)}`);
  }
  return result.stdout;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new KindlabError(`failed to create the hosted lab: no ${what} (an earlier step did not run)`);
  return value;
}
