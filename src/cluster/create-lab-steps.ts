import { KindlabError, UsageError } from '../common/kindlab-error.js';
import { KIND_CLUSTER_LABEL, LAB_LABEL } from '../common/labels.js';
import { waitUntil, type WaitCheckResult } from '../common/wait-until.js';
import { LOAD_BALANCER_IMAGE } from '../image/image-refs.js';
import { nodeCount } from '../topology/build-topology-spec.js';
import { renderKindConfig, type RenderedKindConfig } from '../topology/render-kind-config.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import { ensureKindNetwork } from './ensure-kind-network.js';
import { bringUpExternalEtcd, externalEtcdContainerName, externalEtcdEndpoint, requireEtcdImage } from './external-etcd.js';
import { etcdPkiHostDir } from './external-etcd-pki.js';
import { chooseLabAddresses } from './lab-addresses.js';
import { kindContainerNames } from './kind-container-names.js';
import { notPinnedNotice } from './not-pinned-notice.js';
import type { KindCli } from './kind-cli.js';
import { checkKubeSystemPodsReady, checkNodesReady } from './lab-readiness.js';
import type { KubeApi } from '../kube/kube-api.js';
import { checkKubeconfigContext, contextFingerprint } from './kubeconfig-context.js';
import { contextForLab } from './kubeconfig-path.js';
import { claimAmong, claimContainerName, claimLab, labInUseError } from './lab-claim.js';
import type { LabDeps } from './lab-deps.js';
import { metadataLabels, metadataVolumeName } from './lab-metadata.js';
import { ensureImagePresent, resolveNodeImage, type ResolvedNodeImage } from './resolve-node-image.js';
import { describeDockerEndpoint } from '../docker/resolve-docker-endpoint.js';
import type { LabStep, LabStepIO } from './run-lab-steps.js';

export type CreateStepId =
  'preflight' | 'image' | 'claim' | 'render' | 'addresses' | 'record' | 'external-etcd' | 'kind-create' | 'nodes-ready' | 'pods-running' | 'kubeconfig';

export interface CreateLabContext {
  spec: TopologySpec;
  /** Its docker labels everything it creates with this run's id (run-scoped-docker.ts). */
  deps: LabDeps;
  kubeconfigPath: string;
  createdAt: string;
  /** Random per `lab up`: the dev.kindlab.run label on every Docker resource this run creates. */
  runId: string;
  /** Test only (KINDLAB_TEST_SKIP_CLAIM): behave like a tool that does not know the claim. */
  skipClaim?: boolean;
  /** Extra labels on the lab's record (CreateLabOptions.recordLabels). */
  recordLabels?: Record<string, string>;
  kind?: KindCli;
  nodeImage?: ResolvedNodeImage;
  rendered?: RenderedKindConfig;
  /** Container name -> the IPv4 address it is pinned to on the kind network (lab-addresses.ts). */
  addresses?: Record<string, string>;
  /** External etcd: the lab's etcd PKI directory on the Docker host, mounted into the control planes. */
  etcdPkiHostDir?: string;
  /** The lab's API, connected once with the kubeconfig kind wrote; both waits use it. */
  kube?: KubeApi;
  /** What this run got to create; cleanup runs when it is not empty, and removes by run id. */
  created: Set<'claim' | 'metadata' | 'etcd' | 'cluster'>;
  /** The lab's kubeconfig context before kind ran (contextFingerprint), to tell whether this run wrote it. */
  contextBefore?: string;
  /** kind wrote the lab's context during this run: cleanup removes it. */
  wroteContext?: boolean;
  /** When the --wait budget runs out (Date.now() ms): set once, by the first wait step, and shared by both. */
  waitDeadline?: number;
  /** Things worth telling the user (e.g. "kubeconfig mode fixed to 0600"). */
  notes: string[];
}

export type StepIO = LabStepIO;

export type CreateLabStep = LabStep<CreateLabContext, CreateStepId>;

/**
 * How often the waits for nodes Ready and kube-system pods Ready look. Each look is one list call to
 * the lab's own API; a quarter second ends the wait that much sooner after the last pod turns Ready
 * (a second cost `lab up` half a second on average against plain kind, bench/run.ts).
 */
const READINESS_POLL_MS = 250;

/** preflight -> image -> claim the name -> render -> addresses -> record -> external etcd -> kind create -> nodes Ready -> kube-system pods Ready -> kubeconfig context. */
export function createLabSteps(): CreateLabStep[] {
  return [preflight, chooseImage, claim, render, addresses, record, externalEtcd, kindCreate, ...readinessSteps<CreateLabContext>(), kubeconfigContext];
}

const preflight: CreateLabStep = {
  id: 'preflight',
  title: (ctx) => `Check Docker, kind and that the name ${ctx.spec.name} is free`,
  async run(ctx, io) {
    const version = await ctx.deps.docker.serverVersion();
    ctx.kind = await ctx.deps.kind();
    const endpoint = describeDockerEndpoint(ctx.deps.docker.endpoint);
    io.output(`docker ${version} at ${endpoint}, ${(await ctx.kind.version()).split(' ').slice(0, 2).join(' ')} at ${ctx.kind.path}`);
    if (ctx.skipClaim) return io.output('name check skipped (KINDLAB_TEST_SKIP_CLAIM, test only)');
    // Listed in the reverse of the order a run creates them (claim, record volume, kind's nodes): whatever
    // of another run's lab shows up here, its claim shows up in the last listing, so a race with a run
    // that is just starting is reported as that run's claim, not as leftovers.
    const volumes = await ctx.deps.docker.volumesWithLabel(LAB_LABEL, ctx.spec.name);
    const kindContainers = await ctx.deps.docker.containersWithLabel(KIND_CLUSTER_LABEL, ctx.spec.name);
    const labContainers = await ctx.deps.docker.containersWithLabel(LAB_LABEL, ctx.spec.name);
    const existing = claimAmong(ctx.spec.name, labContainers);
    if (existing) throw labInUseError(ctx.spec.name, existing);
    // A lab without a claim: a plain kind cluster of that name, or kindlab resources left behind.
    const taken = [...kindContainers, ...labContainers];
    if (taken.length > 0 || volumes.length > 0) {
      const what = [...new Set(taken.map((c) => c.name)), ...volumes.map((v) => `volume ${v.name}`)].join(', ');
      throw new UsageError(`lab ${ctx.spec.name} is in use (by ${what}, not claimed by a kindlab run)`, {
        hint: `choose another --name, or remove it with \`lab down ${ctx.spec.name}\``,
      });
    }
  },
};

const chooseImage: CreateLabStep = {
  id: 'image',
  title: () => 'Choose the node image',
  async run(ctx, io) {
    ctx.nodeImage = await resolveNodeImage(ctx.deps.docker, ctx.spec, io.signal);
    io.output(`${ctx.nodeImage.ref} (${ctx.nodeImage.source}${ctx.nodeImage.pulled ? ', pulled' : ''})`);
    if (ctx.spec.controlPlanes > 1) {
      await ensureImagePresent(ctx.deps.docker, LOAD_BALANCER_IMAGE, 'the HA load balancer image kind v0.30.0 runs', io.signal);
    }
    if (ctx.spec.etcd === 'external') await requireEtcdImage(ctx.deps.docker);
  },
};

const claim: CreateLabStep = {
  id: 'claim',
  title: (ctx) => `Claim the name ${ctx.spec.name} on the Docker daemon (container ${claimContainerName(ctx.spec.name)})`,
  skip: (ctx) => (ctx.skipClaim ? 'KINDLAB_TEST_SKIP_CLAIM (test only)' : false),
  async run(ctx, io) {
    // Atomic across users, homes and CI jobs: the daemon refuses a second container of the same name.
    await claimLab(ctx.deps.docker, ctx.spec.name, ctx.runId, ctx.createdAt, requireValue(ctx.nodeImage, 'node image').ref, io.signal);
    ctx.created.add('claim');
    io.output(`run ${ctx.runId}`);
  },
};

const render: CreateLabStep = {
  id: 'render',
  title: (ctx) => `Render the kind config from templates/kind-${ctx.spec.kind}.yaml`,
  async run(ctx, io) {
    if (ctx.spec.etcd === 'external') ctx.etcdPkiHostDir = etcdPkiHostDir(await ctx.deps.docker.rootDir(), ctx.spec.name);
    ctx.rendered = renderKindConfig(
      ctx.spec,
      ctx.etcdPkiHostDir ? { externalEtcd: { endpoint: externalEtcdEndpoint(ctx.spec.name), pkiHostDir: ctx.etcdPkiHostDir } } : {},
    );
    io.output(`${ctx.rendered.config.nodes.length} nodes, ${ctx.rendered.config.kubeadmConfigPatches?.length ?? 0} kubeadm patch(es)`);
  },
};

const addresses: CreateLabStep = {
  id: 'addresses',
  title: () => 'Choose the addresses the lab keeps on the kind network (same address after every start)',
  async run(ctx, io) {
    // kind would create the network itself; made here (as kind does, with its IPv4 subnet given) so its subnet can be read first.
    await ensureKindNetwork(ctx.deps.docker, { runId: ctx.runId });
    const names = [
      ...(ctx.spec.etcd === 'external' ? [externalEtcdContainerName(ctx.spec.name)] : []),
      ...kindContainerNames(ctx.spec.name, requireValue(ctx.rendered, 'rendered config').config.nodes),
    ];
    const chosen = await chooseLabAddresses(ctx.deps.docker, names, requireValue(ctx.nodeImage, 'node image').ref);
    ctx.addresses = chosen.addresses;
    if (chosen.refusal !== undefined) return io.output(notPinnedNotice(chosen.refusal, ctx.spec.controlPlanes));
    io.output(
      Object.entries(ctx.addresses)
        .map(([name, address]) => `${name} ${address}`)
        .join(', '),
    );
  },
};

const record: CreateLabStep = {
  id: 'record',
  title: (ctx) => `Record the lab on volume ${metadataVolumeName(ctx.spec.name)}`,
  async run(ctx) {
    await ctx.deps.docker.createVolume(metadataVolumeName(ctx.spec.name), {
      ...ctx.recordLabels,
      ...metadataLabels(ctx.spec, { createdAt: ctx.createdAt, kubeconfig: ctx.kubeconfigPath, nodeImage: ctx.nodeImage?.ref ?? '' }),
    });
    ctx.created.add('metadata');
  },
};

const externalEtcd: CreateLabStep = {
  id: 'external-etcd',
  title: (ctx) => `Make the etcd certificates and start external etcd ${externalEtcdContainerName(ctx.spec.name)} on the kind network`,
  skip: (ctx) => (ctx.spec.etcd === 'external' ? false : 'stacked etcd runs as static pods on the control planes'),
  async run(ctx, io) {
    const network = await ensureKindNetwork(ctx.deps.docker, { runId: ctx.runId });
    io.output(`network kind ${network}`);
    ctx.created.add('etcd');
    await bringUpExternalEtcd(ctx.deps.docker, ctx.spec.name, {
      nodeImage: requireValue(ctx.nodeImage, 'node image').ref,
      pkiHostDir: requireValue(ctx.etcdPkiHostDir, 'etcd PKI directory'),
      healthTimeoutMs: 60_000,
      address: ctx.addresses?.[externalEtcdContainerName(ctx.spec.name)],
      signal: io.signal,
      output: io.output,
    });
  },
};

const kindCreate: CreateLabStep = {
  id: 'kind-create',
  title: (ctx) => `Create ${nodeCount(ctx.spec)} node(s) with kind`,
  async run(ctx, io) {
    const kind = requireValue(ctx.kind, 'kind');
    const rendered = requireValue(ctx.rendered, 'rendered config');
    const context = contextForLab(ctx.spec.name);
    ctx.contextBefore = contextFingerprint(ctx.kubeconfigPath, context);
    ctx.created.add('cluster');
    try {
      await kind.createCluster({
        name: ctx.spec.name,
        configYaml: rendered.yaml,
        image: requireValue(ctx.nodeImage, 'node image').ref,
        kubeconfig: ctx.kubeconfigPath,
        labels: { lab: ctx.spec.name, runId: ctx.runId },
        addresses: ctx.addresses ?? {},
        signal: io.signal,
        // kind prints its own step list (" ✓ Starting control-plane 🕹️"); pass it through.
        onLine: (line) => {
          const text = line.trim();
          if (text) io.output(text);
        },
      });
      ctx.wroteContext = true;
    } finally {
      // kind writes the context at its very end; a kind killed just after that wrote it too.
      ctx.wroteContext ||= fingerprintOrUndefined(ctx.kubeconfigPath, context) !== ctx.contextBefore;
    }
    ctx.kube = ctx.deps.kube(await kind.getKubeconfig(ctx.spec.name));
  },
};

/** What the readiness waits need of a flow's context: `lab up` here, and `lab up --host-cluster`. */
export interface ReadinessContext {
  spec: TopologySpec;
  /** The lab's API, connected once; both waits use it. */
  kube?: KubeApi;
  /** When the --wait budget runs out (Date.now() ms): set once, by the first wait step, and shared by both. */
  waitDeadline?: number;
}

/** Nodes Ready, then kube-system pods Ready: the two waits every lab is handed over after. */
export function readinessSteps<Ctx extends ReadinessContext>(): [LabStep<Ctx, 'nodes-ready'>, LabStep<Ctx, 'pods-running'>] {
  return [
    clusterWaitStep<Ctx, 'nodes-ready'>(
      'nodes-ready',
      (ctx) => `Wait for ${nodeCount(ctx.spec)} node(s) Ready`,
      'nodes Ready',
      (kube, ctx) => checkNodesReady(kube, nodeCount(ctx.spec)),
    ),
    // Ready, not just Running: the lab is handed over as usable, so CoreDNS must answer and kube-proxy must have its rules.
    clusterWaitStep<Ctx, 'pods-running'>(
      'pods-running',
      () => 'Wait for kube-system pods Running and Ready',
      'kube-system pods Running and Ready',
      (kube) => checkKubeSystemPodsReady(kube),
    ),
  ];
}

/**
 * A step that polls the cluster's API. The cluster waits spend one --wait budget: its deadline is
 * set when the first of them starts and the second gets only what is left, so `--wait 10m` never
 * waits longer than 10 minutes in all.
 */
function clusterWaitStep<Ctx extends ReadinessContext, Id extends string>(
  id: Id,
  title: (ctx: Ctx) => string,
  what: string,
  check: (kube: KubeApi, ctx: Ctx) => Promise<WaitCheckResult<undefined>>,
): LabStep<Ctx, Id> {
  return {
    id,
    title,
    async run(ctx, io) {
      const kube = requireValue(ctx.kube, 'API client');
      ctx.waitDeadline ??= Date.now() + ctx.spec.waitMs;
      await waitUntil(() => check(kube, ctx), {
        what,
        deadline: ctx.waitDeadline,
        budget: `the --wait budget of ${Math.round(ctx.spec.waitMs / 1000)}s`,
        intervalMs: READINESS_POLL_MS,
        signal: io.signal,
        onProgress: io.output,
        hint: '--wait is one budget for nodes Ready and kube-system pods Ready; give a slow machine more',
      });
    },
  };
}

const kubeconfigContext: CreateLabStep = {
  id: 'kubeconfig',
  title: (ctx) => `Check context ${contextForLab(ctx.spec.name)} in ${ctx.kubeconfigPath}`,
  async run(ctx, io) {
    const found = await checkKubeconfigContext(ctx.kubeconfigPath, contextForLab(ctx.spec.name), io.signal);
    if (found.fixedMode !== undefined) {
      ctx.notes.push(`${ctx.kubeconfigPath} had mode ${found.fixedMode.toString(8)}; set to 600 (it holds the cluster's admin credentials)`);
    }
    io.output(`current context: ${found.currentContext ?? '(none)'}`);
  },
};

function requireValue<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new KindlabError(`failed to continue: ${what} missing from an earlier step`);
  return value;
}

function fingerprintOrUndefined(path: string, context: string): string | undefined {
  try {
    return contextFingerprint(path, context);
  } catch {
    // An unreadable kubeconfig here must not hide kind's own error.
    return undefined;
  }
}
