import type { DockerCli } from '../docker/docker-cli.js';
import { IMAGE_KUBERNETES_VERSION_LABEL } from '../common/labels.js';
import { KUBERNETES_VERSION, OFFLINE_NODE_IMAGE } from '../image/image-refs.js';
import type { VersionInfo } from './collect-version-info.js';

/**
 * What only the Docker daemon knows for `lab version --docker`: its version, and whether the node
 * image is built (with the Kubernetes version on its label). Never fails: an unreachable daemon is
 * what it reports.
 */
export async function askDockerForVersions(docker: DockerCli): Promise<Pick<VersionInfo, 'docker' | 'nodeImage'>> {
  const [answer, image] = await Promise.all([
    dockerServerVersion(docker),
    // Asked together with the version: when the daemon is down, the version's error is the one shown.
    docker.imageInfo(OFFLINE_NODE_IMAGE).catch(() => undefined),
  ]);
  const reached = Boolean(answer.serverVersion);
  return {
    docker: answer,
    nodeImage: {
      ref: OFFLINE_NODE_IMAGE,
      kubernetesVersion: (reached && image?.labels[IMAGE_KUBERNETES_VERSION_LABEL]) || KUBERNETES_VERSION,
      present: reached ? image !== undefined : null,
      id: (reached && image?.id) || null,
    },
  };
}

async function dockerServerVersion(docker: DockerCli): Promise<NonNullable<VersionInfo['docker']>> {
  try {
    return { serverVersion: await docker.serverVersion(), error: null };
  } catch (error) {
    return { serverVersion: null, error: (error as Error).message.split('\n')[0] ?? null };
  }
}
