import type { ContainerdView, CriContainerRecord, SandboxRecord } from './snapshot.js';
import { compareText } from '../common/compare-text.js';

/**
 * Parses what CONTAINERD_TASKS_ARGV (read-node-processes.ts) prints from containerd's task directory
 * of the CRI namespace: one directory per live task (a sandbox's pause or a container), named by its
 * id, with the shim's `init.pid` and the OCI `config.json` that the CRI plugin annotated with the pod
 * and container it belongs to. Three kinds of line, each starting with `<id>/`:
 *   `<id>/init.pid:<pid>`                              (grep -H over every init.pid)
 *   `<id>/config.json <mtime in seconds>`              (stat -c '%n %Y')
 *   `<id>/config.json:"io.kubernetes.cri.<key>":"<value>"`  (grep -o -H)
 * A task exists only while its process runs, so every sandbox is ready and every container running,
 * as crictl would say; config.json is written when the task is created, so its mtime stands for
 * crictl's createdAt (to the second; crictl's is the CRI create a moment before).
 */
export function parseContainerdTasks(text: string): ContainerdView {
  const tasks = new Map<string, Task>();
  const task = (id: string): Task => {
    let t = tasks.get(id);
    if (!t) tasks.set(id, (t = { annotations: {} }));
    return t;
  };
  for (const line of text.split('\n')) {
    const pid = INIT_PID_LINE.exec(line);
    if (pid) {
      task(pid[1]!).pid = Number(pid[2]);
      continue;
    }
    const mtime = MTIME_LINE.exec(line);
    if (mtime) {
      task(mtime[1]!).createdAt = new Date(Number(mtime[2]) * 1000).toISOString();
      continue;
    }
    const annotation = ANNOTATION_LINE.exec(line);
    if (annotation) task(annotation[1]!).annotations[annotation[2]!] = annotation[3]!;
  }

  const sandboxes: SandboxRecord[] = [];
  const containers: CriContainerRecord[] = [];
  for (const [id, t] of [...tasks].sort(([a], [b]) => compareText(a, b))) {
    const a = (key: string): string => t.annotations[key] ?? '';
    const withPid = t.pid && t.pid > 0 ? { pid: t.pid } : {};
    // A directory without the CRI's annotations is a task someone else created in the namespace (ctr run): not a pod's.
    if (a('container-type') === 'sandbox') {
      sandboxes.push({
        id,
        pod: { namespace: a('sandbox-namespace'), name: a('sandbox-name'), uid: a('sandbox-uid') },
        state: 'SANDBOX_READY',
        createdAt: t.createdAt ?? '',
        ...withPid,
      });
    } else if (a('container-type') === 'container') {
      containers.push({
        id,
        sandboxId: a('sandbox-id'),
        name: a('container-name'),
        image: a('image-name'),
        state: 'CONTAINER_RUNNING',
        createdAt: t.createdAt ?? '',
        ...withPid,
      });
    }
  }
  return { sandboxes, containers };
}

interface Task {
  pid?: number;
  createdAt?: string;
  annotations: Record<string, string>;
}

const ID = '([0-9a-f]+)';
const INIT_PID_LINE = new RegExp(`^${ID}/init\\.pid:(\\d+)$`);
const MTIME_LINE = new RegExp(`^${ID}/config\\.json (\\d+)$`);
const ANNOTATION_LINE = new RegExp(`^${ID}/config\\.json:"io\\.kubernetes\\.cri\\.([a-z-]+)":"([^"]*)"$`);
