import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { UsageError } from '../common/kindlab-error.js';
import { KIND_CLUSTER_LABEL } from '../common/labels.js';
import { makePrivateDirectory } from '../common/write-private-file.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { normalizeImageRef } from '../image/normalize-image-ref.js';

/** Where saved image tars wait to be streamed into hosted labs' pods: one per set of image ids, shared by a room. */
export function hostedImageCacheDir(home: string): string {
  return join(home, 'hosted-images');
}

export interface SavedImages {
  path: string;
  bytes: number;
  /** Reused from an earlier hosted lab (the same image ids). */
  reused: boolean;
}

/**
 * The lab's images as one `docker save` tar, named by a hash of their ids: the second hosted lab of a
 * room streams the same file without saving again, and a rebuilt image gets a new file.
 */
export async function saveImagesForPod(docker: DockerCli, refs: readonly string[], home: string, signal?: AbortSignal): Promise<SavedImages> {
  const ids: string[] = [];
  for (const ref of refs) {
    const info = await docker.imageInfo(ref);
    if (!info)
      throw new UsageError(`failed to find image ${ref} on this machine's Docker`, {
        hint: 'run `lab image build` (or `lab image load FILE`) first: a hosted lab gets its images from here',
      });
    ids.push(info.id);
  }
  const dir = hostedImageCacheDir(home);
  const key = createHash('sha256')
    .update([...refs, ...ids].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const path = join(dir, `images-${key}.tar`);
  if (existsSync(path)) return { path, bytes: statSync(path).size, reused: true };
  makePrivateDirectory(dir);
  const partial = `${path}.${process.pid}.partial`;
  try {
    await docker.run(['save', '--output', partial, ...refs], { signal, timeoutMs: 15 * 60_000 });
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  return { path, bytes: statSync(path).size, reused: false };
}

/** Whether the kubelet reports the image among the node's (status.images lists up to 50: every image of a kind node). */
export function nodeHasImage(node: V1Node, ref: string): boolean {
  const wanted = normalizeImageRef(ref);
  return (node.status?.images ?? []).some((image) => (image.names ?? []).some((name) => normalizeImageRef(name) === wanted));
}

/** Nodes a pod without tolerations may land on: Ready, schedulable, without NoSchedule or NoExecute taints. */
export function schedulableNodes(nodes: readonly V1Node[]): V1Node[] {
  return nodes.filter(
    (node) =>
      !node.spec?.unschedulable &&
      !(node.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

/**
 * Puts `ref` into the containerd of every host node that lacks it, the way `kind load docker-image`
 * does, when the node is a kind node container on this machine's Docker (a kindlab lab as the host
 * cluster). The node's container is found by the kind cluster label and its name, which is the node's.
 * A node that lacks the image and is not such a container is an error: its cluster must pull the image.
 */
export async function loadImageIntoKindNodes(
  docker: DockerCli | undefined,
  nodes: readonly V1Node[],
  ref: string,
  home: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const lacking = nodes.filter((node) => !nodeHasImage(node, ref)).map((node) => node.metadata?.name ?? '');
  if (lacking.length === 0) return [];
  const containers = docker ? await docker.containersWithLabel(KIND_CLUSTER_LABEL) : [];
  const missing = lacking.filter((name) => !containers.some((c) => c.name === name && c.state === 'running'));
  if (!docker || missing.length > 0)
    throw new UsageError(
      `failed to put ${ref} on the host cluster's node(s) ${missing.join(', ')}: they lack it and are not kind nodes on this machine's Docker`,
      {
        hint: `load ${ref} (built by \`lab image build\`) into those nodes' containerd, or push it where they pull from`,
      },
    );
  const saved = await saveImagesForPod(docker, [ref], home, signal);
  const inNode = `/kindlab-${createHash('sha256').update(saved.path).digest('hex').slice(0, 8)}.tar`;
  await Promise.all(
    lacking.map(async (node) => {
      await docker.run(['cp', saved.path, `${node}:${inNode}`], { signal, timeoutMs: 5 * 60_000 });
      try {
        await docker.exec(node, ['ctr', '--namespace', 'k8s.io', 'images', 'import', '--no-unpack', inNode], { signal, timeoutMs: 5 * 60_000 });
      } finally {
        await docker.exec(node, ['rm', '-f', inNode], { allowFailure: true });
      }
    }),
  );
  return lacking;
}
