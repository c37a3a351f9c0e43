import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandRunner } from '../common/command-runner.js';
import { projectRoot } from '../common/paths.js';
import { findKind } from '../host/find-kind.js';
import type { DockerCli } from '../docker/docker-cli.js';
import { KIND_VERSION, KUBERNETES_VERSION, OFFLINE_NODE_IMAGE } from '../image/image-refs.js';

export interface VersionInfo {
  kindlab: string;
  kind: { wanted: string; found: string | null; path: string | null };
  nodeImage: {
    ref: string;
    /** From the image's label when Docker was asked and the image is there, else the version kindlab builds. */
    kubernetesVersion: string;
    /** null: the Docker daemon was not asked, or could not be. */
    present: boolean | null;
    id: string | null;
  };
  /** null unless asked for (`--docker`). */
  docker: { serverVersion: string | null; error: string | null } | null;
}

export interface CollectVersionOptions {
  /**
   * Also ask the Docker daemon for its version and whether the node image is built. Off by default:
   * `lab version` answers from what kindlab knows, at once, even where Docker is absent or hangs
   * (a fresh machine before `lab host prepare`); the daemon's answer costs two docker CLI runs.
   */
  docker?: DockerCli;
}

/** What `lab version` shows. Never fails for a missing kind or Docker: those are what it reports. */
export async function collectVersionInfo(runner: CommandRunner, options: CollectVersionOptions = {}): Promise<VersionInfo> {
  const dockerCli = options.docker;
  const [kind, asked] = await Promise.all([
    findKind(runner).catch(() => undefined),
    // Loaded only when Docker is asked: plain `lab version` starts without the Docker side.
    dockerCli ? import('./ask-docker-for-versions.js').then(({ askDockerForVersions }) => askDockerForVersions(dockerCli)) : undefined,
  ]);
  return {
    kindlab: packageVersion(),
    kind: { wanted: KIND_VERSION, found: kind?.version ?? null, path: kind?.path ?? null },
    nodeImage: asked?.nodeImage ?? { ref: OFFLINE_NODE_IMAGE, kubernetesVersion: KUBERNETES_VERSION, present: null, id: null },
    docker: asked?.docker ?? null,
  };
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Plain text for `lab version`. */
export function formatVersionInfo(info: VersionInfo): string {
  const image = info.nodeImage;
  const presence = !info.docker
    ? 'built? ask Docker with `lab version --docker`'
    : image.present === null
      ? `unknown (${info.docker.error ?? 'Docker not reachable'})`
      : image.present
        ? `present (${image.id?.slice(0, 19)})`
        : 'not built (run `lab image build`)';
  return [
    `kindlab     ${info.kindlab}`,
    `kind        ${info.kind.found ? `${info.kind.found} (${info.kind.path})` : `not installed (kindlab needs ${info.kind.wanted}; run \`lab host prepare\`)`}`,
    `kubernetes  ${image.kubernetesVersion}`,
    `node image  ${image.ref}: ${presence}`,
    ...(info.docker ? [`docker      ${info.docker.serverVersion ?? `not reachable (${info.docker.error})`}`] : []),
    '',
  ].join('\n');
}
