import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_BUILD_RUN_LABEL, IMAGE_KUBERNETES_VERSION_LABEL, IMAGE_RECIPE_HASH_LABEL, RUN_OWNER_ANNOTATION } from '../common/labels.js';
import { KindlabError } from '../common/kindlab-error.js';
import { doneIf, waitUntil } from '../common/wait-until.js';
import { type NodeStage, stageOutputRef } from './build-stages.js';
import { findStage } from './image-recipes.js';
import { normalizeImageRef } from './normalize-image-ref.js';
import { hashOf, type StageContext } from './stage-context.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';

const PRELOAD_MOUNT = '/kindlab/preload';
const CONTAINERD_SOCKET_WAIT_MS = 30_000;

/**
 * What `kind build node-image` does after copying binaries, without any registry: run the
 * staging image unprivileged with containerd, `ctr images import --no-unpack` every image
 * (CRI unpacks on first use), pin them, stop containerd and commit with the node entrypoint.
 */
export async function buildNodeStage(stage: NodeStage, ctx: StageContext): Promise<void> {
  const run = (args: string[]) => defaultDockerCli(ctx.runner).run(args, { onLine: ctx.log.line, signal: ctx.signal });
  // Quick daemon calls run to completion even when interrupted: a `docker create` killed mid-request
  // could leave a container the cleanup below no longer sees.
  const runToCompletion = (args: string[]) => defaultDockerCli(ctx.runner).run(args, { onLine: ctx.log.line });
  const preloadDir = ctx.paths.preloadDir();
  const container = buildContainerName(stage.name, ctx.runId);
  const images = stage.preload.map((name) => {
    const ref = stageOutputRef(findStage(ctx.stages, name));
    if (!ref) throw new Error(`stage ${name} produces no image to pre-import`);
    return { name, ref };
  });
  const baseRef = stageOutputRef(findStage(ctx.stages, stage.base));
  if (!baseRef) throw new Error(`stage ${stage.base} produces no image`);

  // Everything from here on is undone in `finally`, also when Ctrl-C kills the running docker command.
  try {
    await rm(preloadDir, { recursive: true, force: true });
    await mkdir(preloadDir, { recursive: true });
    for (const image of images) {
      ctx.progress?.(`docker save ${image.ref}`);
      await run(['save', '--output', join(preloadDir, `${image.name}.tar`), image.ref]);
    }

    ctx.progress?.('start containerd in the staging image');
    await runToCompletion([
      'create',
      '--name',
      container,
      // Found by this label (`docker ps --filter label=...`). docker commit copies container labels into
      // the image, so the commit below blanks it: node containers must never match a build's filter.
      '--label',
      `${IMAGE_BUILD_RUN_LABEL}=${ctx.runId}`,
      ...(ctx.owner ? ['--label', `${RUN_OWNER_ANNOTATION}=${ctx.owner}`] : []),
      // As kind's own node-image build: not privileged, so this works before host preparation.
      '--security-opt',
      'seccomp=unconfined',
      // containerd's state (sockets, shims) must not end up in the committed image.
      '--tmpfs',
      '/run',
      '--tmpfs',
      '/tmp',
      '--volume',
      `${preloadDir}:${PRELOAD_MOUNT}:ro`,
      '--entrypoint',
      'sleep',
      baseRef,
      'infinity',
    ]);
    ctx.signal?.throwIfAborted();
    await runToCompletion(['start', container]);
    await runToCompletion(['exec', '--detach', container, 'containerd']);
    await waitForContainerd(ctx, container);
    for (const image of images) {
      ctx.progress?.(`ctr images import ${image.ref}`);
      await run([
        'exec',
        container,
        'ctr',
        '--namespace=k8s.io',
        'images',
        'import',
        '--no-unpack',
        '--all-platforms',
        '--compress-blobs',
        `${PRELOAD_MOUNT}/${image.name}.tar`,
      ]);
      // containerd 1.6's import has no --label; pin afterwards so kubelet's image GC keeps them.
      await run(['exec', container, 'ctr', '--namespace=k8s.io', 'images', 'label', normalizeImageRef(image.ref), 'io.cri-containerd.pinned=pinned']);
    }
    const listed = await run(['exec', container, 'ctr', '--namespace=k8s.io', 'images', 'list', '--quiet']);
    const present = new Set(listed.stdout.split('\n').map((l) => l.trim()));
    const missing = images.map((i) => normalizeImageRef(i.ref)).filter((ref) => !present.has(ref));
    if (missing.length > 0) throw new KindlabError(`failed to pre-import ${missing.join(', ')} into the node image`);

    ctx.progress?.('stop containerd');
    await run(['exec', container, 'pkill', '--exact', 'containerd']);
    await waitForContainerdExit(ctx, container);
    ctx.progress?.(`docker commit ${stage.ref}`);
    await run([
      'commit',
      // Setting ENTRYPOINT also clears the `infinity` CMD of the staging container.
      '--change',
      'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
      '--change',
      `LABEL ${IMAGE_RECIPE_HASH_LABEL}=${hashOf(ctx, stage.name)}`,
      '--change',
      `LABEL ${IMAGE_KUBERNETES_VERSION_LABEL}=${stage.kubernetesVersion}`,
      '--change',
      `LABEL ${IMAGE_BUILD_RUN_LABEL}=`,
      ...(ctx.owner ? ['--change', `LABEL ${RUN_OWNER_ANNOTATION}=`] : []),
      container,
      stage.ref,
    ]);
  } finally {
    // Without the signal: an interrupt must not cancel the cleanup it triggered.
    await defaultDockerCli(ctx.runner)
      .run(['rm', '--force', container], { allowFailure: true })
      .catch(() => undefined);
    await rm(preloadDir, { recursive: true, force: true });
  }
}

async function waitForContainerd(ctx: StageContext, container: string): Promise<void> {
  await waitUntil(
    async (signal) => {
      const probe = await defaultDockerCli(ctx.runner).run(['exec', container, 'ctr', 'version'], { allowFailure: true, signal });
      return doneIf(probe.exitCode === 0, `ctr version: ${lastLine(probe.stderr || probe.stdout)}`);
    },
    { what: `containerd to start in ${container}`, timeoutMs: CONTAINERD_SOCKET_WAIT_MS, intervalMs: 500, signal: ctx.signal, hint: `see ${ctx.log.path}` },
  );
}

async function waitForContainerdExit(ctx: StageContext, container: string): Promise<void> {
  await waitUntil(
    async (signal) => {
      const probe = await defaultDockerCli(ctx.runner).run(['exec', container, 'pgrep', '--exact', 'containerd'], { allowFailure: true, signal });
      return doneIf(probe.exitCode !== 0, `pgrep finds containerd: ${lastLine(probe.stdout)}`);
    },
    { what: `containerd to stop in ${container}`, timeoutMs: CONTAINERD_SOCKET_WAIT_MS, intervalMs: 500, signal: ctx.signal, hint: `see ${ctx.log.path}` },
  );
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/** Per build run: two builds from two KINDLAB_HOMEs on one daemon must not remove each other's container. */
export function buildContainerName(stage: string, runId: string): string {
  return `kindlab-image-build-${stage}-${runId}`;
}
