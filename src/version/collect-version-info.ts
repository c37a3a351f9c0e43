import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { IMAGE_KUBERNETES_VERSION_LABEL } from '../common/labels.js';
import { projectRoot } from '../common/paths.js';
import { findKind } from '../host/ensure-kind.js';
import { defaultDockerCli } from '../docker/default-docker-cli.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { KIND_VERSION, KUBERNETES_VERSION, OFFLINE_NODE_IMAGE } from '../image/image-refs.js';

export interface VersionInfo {
  kindlab: string;
  kind: { wanted: string; found: string | null; path: string | null };
  nodeImage: {
    ref: string;
    /** From the image's label when it is present, else the version kindlab builds. */
    kubernetesVersion: string;
    /** null: the Docker daemon could not be asked. */
    present: boolean | null;
    id: string | null;
  };
  docker: { serverVersion: string | null; error: string | null };
}

/** What `lab version` shows. Never fails for a missing kind or Docker: those are what it reports. */
export async function collectVersionInfo(runner: CommandRunner, dockerCli: DockerCli = defaultDockerCli(runner)): Promise<VersionInfo> {
  const [kind, docker] = await Promise.all([findKind(runner).catch(() => undefined), dockerServerVersion(dockerCli)]);
  const image = docker.serverVersion ? await dockerCli.imageInfo(OFFLINE_NODE_IMAGE) : undefined;
  return {
    kindlab: packageVersion(),
    kind: { wanted: KIND_VERSION, found: kind?.version ?? null, path: kind?.path ?? null },
    nodeImage: {
      ref: OFFLINE_NODE_IMAGE,
      kubernetesVersion: image?.labels[IMAGE_KUBERNETES_VERSION_LABEL] ?? KUBERNETES_VERSION,
      present: docker.serverVersion ? image !== undefined : null,
      id: image?.id ?? null,
    },
    docker,
  };
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function dockerServerVersion(docker: DockerCli): Promise<VersionInfo['docker']> {
  try {
    return { serverVersion: await docker.serverVersion(), error: null };
  } catch (error) {
    return { serverVersion: null, error: (error as Error).message.split('\n')[0] ?? null };
  }
}

/** Plain text for `lab version`. */
export function formatVersionInfo(info: VersionInfo): string {
  const image = info.nodeImage;
  const presence =
    image.present === null
      ? `unknown (${info.docker.error ?? 'Docker not reachable'})`
      : image.present
        ? `present (${image.id?.slice(0, 19)})`
        : 'not built (run `lab image build`)';
  return [
    `kindlab     ${info.kindlab}`,
    `kind        ${info.kind.found ? `${info.kind.found} (${info.kind.path})` : `not installed (kindlab needs ${info.kind.wanted}; run \`lab host prepare\`)`}`,
    `kubernetes  ${image.kubernetesVersion}`,
    `node image  ${image.ref}: ${presence}`,
    `docker      ${info.docker.serverVersion ?? `not reachable (${info.docker.error})`}`,
    '',
  ].join('\n');
}
