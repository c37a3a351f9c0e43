/*
 * containerd's live tasks of the CRI namespace, read as files (parse-containerd-tasks.ts): one grep
 * for every shim's pid, one stat, one grep for the CRI's annotations of every task. Four crictl runs
 * (Go programs talking to containerd) cost 250-350 ms of CPU per node, which on a 2-core machine made
 * up most of `lab report` on an ha lab; these three small programs cost about as much as the ps.
 * Where containerd keeps no such directory (another runtime, another root) the script exits 3 and
 * crictl is asked instead, in a second exec. A task that ends between the glob and the reads drops out
 * of them (errors to /dev/null); a node without tasks prints nothing. read-node-on-host.ts reads the
 * same files through the node's root on this host and prints the same lines.
 */
export const CONTAINERD_TASK_DIR = '/run/containerd/io.containerd.runtime.v2.task/k8s.io';
export const NO_CONTAINERD_TASK_DIR_EXIT = 3;
const CRI_ANNOTATIONS = 'container-type|container-name|image-name|sandbox-id|sandbox-name|sandbox-namespace|sandbox-uid';
/** The CRI plugin's annotations in a task's config.json (compact JSON: no space after the colon), as an ERE for grep and RegExp alike. */
export const CRI_ANNOTATION_ERE = `"io\\.kubernetes\\.cri\\.(${CRI_ANNOTATIONS})":"[^"]*"`;
export const CONTAINERD_TASKS_ARGV = [
  'sh',
  '-c',
  `cd ${CONTAINERD_TASK_DIR} 2>/dev/null || exit ${NO_CONTAINERD_TASK_DIR_EXIT}; set -- */config.json; [ -e "$1" ] || exit 0; ` +
    `grep -H . */init.pid 2>/dev/null; stat -c '%n %Y' "$@" 2>/dev/null; ` +
    `grep -o -H -E '${CRI_ANNOTATION_ERE}' "$@" 2>/dev/null; exit 0`,
] as const;
