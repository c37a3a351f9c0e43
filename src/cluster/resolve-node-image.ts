import { UsageError } from '../common/kindlab-error.js';
import { KUBERNETES_VERSION, OFFLINE_NODE_IMAGE, PUBLISHED_NODE_IMAGE } from '../image/image-refs.js';
import type { NodeImageSource, TopologySpec } from '../topology/topology-spec.js';
import type { DockerCli } from '../docker/docker-cli.js';

export interface ResolvedNodeImage {
  ref: string;
  source: NodeImageSource;
  /** True when this call pulled it. */
  pulled: boolean;
}

/** The image refs `lab up` considers, in order of preference, before looking at the daemon. */
export function nodeImageCandidates(spec: Pick<TopologySpec, 'image' | 'kubernetesVersion'>): { offline?: string; published?: string; flag?: string } {
  if (spec.image) return { flag: spec.image };
  if (spec.kubernetesVersion) {
    return { offline: `kindlab/node:${spec.kubernetesVersion}`, published: `kindest/node:${spec.kubernetesVersion}` };
  }
  return { offline: OFFLINE_NODE_IMAGE, published: PUBLISHED_NODE_IMAGE };
}

/**
 * `--image` wins; otherwise the offline image built by `lab image build` when it is present; otherwise
 * kind's published image, pulled now (a registry is reachable) so a missing registry shows up as one
 * clear error here instead of deep inside `kind create`. Nothing has been created yet when this runs.
 */
export async function resolveNodeImage(
  docker: DockerCli,
  spec: Pick<TopologySpec, 'image' | 'kubernetesVersion'>,
  signal?: AbortSignal,
): Promise<ResolvedNodeImage> {
  const candidates = nodeImageCandidates(spec);
  if (candidates.flag) {
    if (await docker.imageExists(candidates.flag)) return { ref: candidates.flag, source: 'flag', pulled: false };
    await pullOrExplain(docker, candidates.flag, signal, `--image ${candidates.flag} is not present locally and cannot be pulled`);
    return { ref: candidates.flag, source: 'flag', pulled: true };
  }
  const offline = candidates.offline as string;
  const published = candidates.published as string;
  if (await docker.imageExists(offline)) return { ref: offline, source: 'offline', pulled: false };
  if (await docker.imageExists(published)) return { ref: published, source: 'published', pulled: false };
  const version = spec.kubernetesVersion ?? KUBERNETES_VERSION;
  await pullOrExplain(
    docker,
    published,
    signal,
    `no node image for Kubernetes ${version}: ${offline} is not built and ${published} cannot be pulled (no registry reachable?)`,
    spec.kubernetesVersion && spec.kubernetesVersion !== KUBERNETES_VERSION
      ? `kindlab builds Kubernetes ${KUBERNETES_VERSION} offline: run \`lab image build\` and drop --kubernetes-version`
      : 'run `lab image build` to build the node image from Debian packages and the Go module proxy',
  );
  return { ref: published, source: 'published', pulled: true };
}

/** The HA load balancer image kind v0.30.0 runs; same rule: present, or pullable, or a clear error. */
export async function ensureImagePresent(docker: DockerCli, ref: string, why: string, signal?: AbortSignal): Promise<boolean> {
  if (await docker.imageExists(ref)) return false;
  await pullOrExplain(docker, ref, signal, `${why}: ${ref} is not present locally and cannot be pulled`);
  return true;
}

async function pullOrExplain(docker: DockerCli, ref: string, signal: AbortSignal | undefined, message: string, hint?: string): Promise<void> {
  try {
    await docker.pullImage(ref, { signal, timeoutMs: 15 * 60_000 });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new UsageError(message, { cause: error, hint: hint ?? 'run `lab image build`, or pass --image with an image that exists locally' });
  }
}
