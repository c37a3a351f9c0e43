import { KindlabError } from '../common/kindlab-error.js';
import type { ClusterContainer } from '../inspect/docker/cluster-containers.js';
import type { NodeExec } from '../node/node-exec.js';
import { CRICTL_IMAGES_ARGV, parseCrictlImageTags } from '../inspect/parse-crictl-output.js';
import { execInNode } from '../node/exec-in-node.js';

const PAUSE = /^registry\.k8s\.io\/pause:(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * Tour pods must run with nothing to pull: the pause image is in every node already, as the sandbox
 * image. Its tag differs between node images (3.10 in kind's published 1.34 image, 3.10.1 in
 * kindlab's), so it is read from the node rather than hard-coded.
 */
export async function findPodImage(exec: NodeExec, node: ClusterContainer): Promise<string> {
  return pickPauseImage(await execInNode(exec, node.name, CRICTL_IMAGES_ARGV), node.name);
}

export function pickPauseImage(crictlImagesJson: string, nodeName: string): string {
  const tags = parseCrictlImageTags(crictlImagesJson).filter((t) => PAUSE.test(t));
  const version = (tag: string): number[] => (PAUSE.exec(tag) ?? []).slice(1).map((v) => Number(v ?? 0));
  tags.sort((a, b) => {
    const [x, y] = [version(a), version(b)];
    return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
  });
  if (!tags[0]) {
    throw new KindlabError(`failed to find a pause image in node ${nodeName}`, {
      hint: `the tour's pods use the node's sandbox image; see \`docker exec ${nodeName} crictl images\``,
    });
  }
  return tags[0];
}
