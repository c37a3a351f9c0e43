import { KindlabError } from '../common/kindlab-error.js';
import { execInNode, NodeCommandError } from '../node/exec-in-node.js';
import type { NodeExec } from '../node/node-exec.js';
import { programName } from './identify-component.js';
import { parseCrictlContainers, parseCrictlInspectPids, parseCrictlPods } from './parse-crictl-output.js';
import { parsePsOutput, type PsEntry } from './parse-ps-output.js';
import type { ContainerdView } from './snapshot.js';

/** `ww`: never cut command lines, whatever the exec's terminal width. */
export const PS_ARGV = ['ps', '-ww', '-eo', 'pid,ppid,args'] as const;
export const CRICTL_PODS_ARGV = ['crictl', 'pods', '-o', 'json'] as const;
export const CRICTL_CONTAINERS_ARGV = ['crictl', 'ps', '-o', 'json'] as const;

/** Hands every raw output to the caller, so fixtures can be recorded from a real cluster. */
export type RawOutputRecorder = (node: string, what: string, argv: readonly string[], stdout: string) => void;

export interface NodeProcessView {
  processes: PsEntry[];
  containerd?: ContainerdView;
}

export async function readNodeProcesses(
  exec: NodeExec,
  node: { name: string },
  options: { withContainerd: boolean; record?: RawOutputRecorder },
): Promise<NodeProcessView> {
  const run = async (what: string, argv: readonly string[]): Promise<string> => {
    let stdout: string;
    try {
      stdout = await execInNode(exec, node.name, argv);
    } catch (error) {
      // The load balancer and etcd images may have no ps: say so plainly.
      if (error instanceof NodeCommandError && error.notInstalled) {
        throw new KindlabError(`no process list for ${node.name}: its image has no ${argv[0]}`, { cause: error });
      }
      throw error;
    }
    options.record?.(node.name, what, argv, stdout);
    return stdout;
  };

  const [psText, podsJson, containersJson] = await Promise.all([
    run('ps', PS_ARGV),
    options.withContainerd ? run('crictl-pods', CRICTL_PODS_ARGV) : Promise.resolve(undefined),
    options.withContainerd ? run('crictl-ps', CRICTL_CONTAINERS_ARGV) : Promise.resolve(undefined),
  ]);
  const processes = withoutInspector(parsePsOutput(psText));
  if (podsJson === undefined || containersJson === undefined) return { processes };

  const sandboxes = parseCrictlPods(podsJson);
  const containers = parseCrictlContainers(containersJson);
  const readySandboxIds = sandboxes.filter((s) => s.state === 'SANDBOX_READY').map((s) => s.id);
  const runningContainerIds = containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id);
  const [sandboxPids, containerPids] = await Promise.all([
    readySandboxIds.length > 0
      ? run('crictl-inspectp', ['crictl', 'inspectp', '-o', 'json', ...readySandboxIds]).then(parseCrictlInspectPids)
      : new Map<string, number>(),
    runningContainerIds.length > 0
      ? run('crictl-inspect', ['crictl', 'inspect', '-o', 'json', ...runningContainerIds]).then(parseCrictlInspectPids)
      : new Map<string, number>(),
  ]);
  for (const s of sandboxes) {
    const pid = sandboxPids.get(s.id);
    if (pid) s.pid = pid;
  }
  for (const c of containers) {
    const pid = containerPids.get(c.id);
    if (pid) c.pid = pid;
  }
  return { processes, containerd: { sandboxes, containers } };
}

/**
 * Our own `ps`/`crictl` runs show up in the list as exec'd processes (parent 0), as does the
 * `runc init` that is about to become one of them; they are not part of the node. With a timeout
 * NodeExec runs them under coreutils `timeout` (src/node/docker-node-exec.ts): that is the exec'd
 * process then, and the command is its child.
 */
export function withoutInspector(processes: PsEntry[]): PsEntry[] {
  const inspector = new Set(processes.filter((p) => p.ppid === 0 && p.pid !== 1 && INSPECTOR_PROGRAMS.has(programName(p.args))).map((p) => p.pid));
  return processes.filter((p) => !inspector.has(p.pid) && !(inspector.has(p.ppid) && INSPECTOR_PROGRAMS.has(programName(p.args))));
}

const INSPECTOR_PROGRAMS = new Set(['ps', 'crictl', 'runc', 'timeout']);
