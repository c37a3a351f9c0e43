import { describe, expect, it } from 'vitest';
import { ChildProcessCommandRunner } from '../../../src/common/child-process-command-runner.js';
import { doneIf, waitUntil } from '../../../src/common/wait-until.js';
import { defaultDockerCli } from '../../../src/docker/default-docker-cli.js';
import { CONTAINERD_TASKS_ARGV, NO_CONTAINERD_TASK_DIR_EXIT, readNodeProcesses } from '../../../src/inspect/read-node-processes.js';
import type { ContainerdView } from '../../../src/inspect/snapshot.js';
import { DockerNodeExec } from '../../../src/node/docker-node-exec.js';
import type { NodeExec } from '../../../src/node/node-exec.js';
import { DockerClusterContainers } from '../../../src/inspect/docker/docker-cluster-containers.js';
import type { DockerContextEnv } from '../support/docker-context.js';
import type { LiveLabAccessor } from '../support/live-lab.js';

/** The node's real exec, except that the task read runs `exit 3` in the node: a node whose containerd keeps no task directory. */
function withoutTaskDirectory(exec: NodeExec): NodeExec {
  const swap = (argv: readonly string[]) => (argv.join(' ') === CONTAINERD_TASKS_ARGV.join(' ') ? ['sh', '-c', `exit ${NO_CONTAINERD_TASK_DIR_EXIT}`] : argv);
  return {
    exec: (node, argv, options) => exec.exec(node, swap(argv), options),
    execEach: (node, argvs, options) => exec.execEach(node, argvs.map(swap), options),
    command: (node, argv) => exec.command(node, argv),
  };
}

/** What both reads must agree on: containerd 1.6+ gives crictl only image ids, and the two creation times differ by the task's start. */
function comparable(view: ContainerdView): string {
  const sandboxes = view.sandboxes.map((s) => `${s.id} ${s.state} ${s.pod.namespace}/${s.pod.name}/${s.pod.uid} pid ${s.pid}`);
  const containers = view.containers.map((c) => `${c.id} ${c.state} ${c.sandboxId} ${c.name} pid ${c.pid}`);
  return [...sandboxes, ...containers].sort().join('\n');
}

/**
 * The node read from containerd's task directory (read-node-processes.ts) against crictl's four reads
 * on a real lab: the same sandboxes, containers, pods and pids. Other checks of the file start and
 * delete pods; a pod that came or went between the two reads makes them differ, so they are read
 * again until one pair agrees.
 */
export function registerContainerdTaskChecks(lab: LiveLabAccessor, context: () => DockerContextEnv): void {
  describe('node reads from containerd task directory', () => {
    it('give the sandboxes, containers, pods and pids that crictl gives, with image names', async () => {
      const exec = new DockerNodeExec(defaultDockerCli(new ChildProcessCommandRunner(), { ...process.env, ...context().env }));
      const node = lab().controlPlaneContainers[0]!;
      const read = async (via: NodeExec) => (await readNodeProcesses(via, { name: node }, { withContainerd: true })).containerd!;
      let last: { tasks: ContainerdView; crictl: ContainerdView } | undefined;
      await waitUntil(
        async () => {
          const [tasks, crictl] = await Promise.all([read(exec), read(withoutTaskDirectory(exec))]);
          last = { tasks, crictl };
          return doneIf(comparable(tasks) === comparable(crictl), `task directory:\n${comparable(tasks)}\ncrictl:\n${comparable(crictl)}`);
        },
        { what: `the task directory and crictl to agree on ${node}`, timeoutMs: 60_000, intervalMs: 2000 },
      );
      const { tasks, crictl } = last!;
      expect(tasks.sandboxes.map((s) => s.pod.name)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^kube-apiserver-/), expect.stringMatching(/^etcd-/)]),
      );
      expect(tasks.sandboxes.every((s) => s.pid && s.pid > 0)).toBe(true);
      for (const c of tasks.containers) {
        expect(c.image).not.toMatch(/^sha256:|^$/);
        const asCrictl = crictl.containers.find((d) => d.id === c.id)!;
        expect(Math.abs(Date.parse(c.createdAt) - Date.parse(asCrictl.createdAt))).toBeLessThan(5000);
      }
    });

    /*
     * The same node read on this host through its init's /proc entry (read-node-on-host.ts), without an
     * exec, against the node's own ps and task script: the same processes, parents and command lines,
     * the same sandboxes and containers. Read again until one pair agrees, as above.
     */
    it('read on this host through /proc/<pid>/root, give the processes and tasks the node exec gives', async () => {
      const docker = defaultDockerCli(new ChildProcessCommandRunner(), { ...process.env, ...context().env });
      const exec = new DockerNodeExec(docker);
      const container = (await new DockerClusterContainers(docker).listContainers(lab().name)).find((c) => c.role === 'control-plane')!;
      expect(container.hostPid).toBeGreaterThan(0);
      const options = { withContainerd: true, withStats: true };
      const shown = (view: Awaited<ReturnType<typeof readNodeProcesses>>) =>
        [...view.processes.map((p) => `${p.pid} ${p.ppid} ${p.args}`), comparable(view.containerd!)].join('\n');
      let last = { onHost: '', viaExec: '' };
      await waitUntil(
        async () => {
          const [onHost, viaExec] = await Promise.all([
            readNodeProcesses(exec, container, options),
            readNodeProcesses(exec, { name: container.name }, options),
          ]);
          last = { onHost: shown(onHost), viaExec: shown(viaExec) };
          return doneIf(last.onHost === last.viaExec, `on this host:\n${last.onHost}\nthrough exec:\n${last.viaExec}`);
        },
        { what: `the host's read and the exec's to agree on ${container.name}`, timeoutMs: 60_000, intervalMs: 2000 },
      );
      expect(last.onHost).toMatch(/ kube-apiserver /);
      expect(last.onHost).toMatch(/\/pause/);
    });
  });
}
