/**
 * kind's known-issues page recommends 524288 watches and 512 instances for clusters with many
 * nodes. Every node runs systemd, containerd and a kubelet that each hold inotify instances, so
 * the need grows with the node count; kind's figures are the floor.
 */
export const INOTIFY_FLOOR = { maxUserWatches: 524_288, maxUserInstances: 512 } as const;
export const INOTIFY_PER_NODE = { maxUserWatches: 131_072, maxUserInstances: 128 } as const;

export interface InotifyLimits {
  maxUserWatches: number;
  maxUserInstances: number;
}

export function inotifyNeed(nodes: number): InotifyLimits {
  return {
    maxUserWatches: Math.max(INOTIFY_FLOOR.maxUserWatches, INOTIFY_PER_NODE.maxUserWatches * nodes),
    maxUserInstances: Math.max(INOTIFY_FLOOR.maxUserInstances, INOTIFY_PER_NODE.maxUserInstances * nodes),
  };
}
