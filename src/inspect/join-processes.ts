import { componentOf, isShim, programName, shimId } from './identify-component.js';
import type { PsEntry } from './parse-ps-output.js';
import type { ContainerdView, CriContainerRecord, ProcessIdentity, ProcessRecord, SandboxRecord } from './snapshot.js';

/**
 * Ties each process of a node to what it is:
 * - a containerd shim -> the sandbox named by its `-id` -> that sandbox's pod;
 * - the process whose pid is a sandbox's pid (crictl inspectp info.pid) -> /pause of that pod;
 * - the process whose pid is a container's pid (crictl inspect info.pid) -> that container, and
 *   its descendants -> the same container;
 * - everything else by its program name (systemd, containerd, kubelet, ...).
 */
export function joinProcesses(processes: readonly PsEntry[], view: ContainerdView | undefined): ProcessRecord[] {
  const sandboxes = new Map<string, SandboxRecord>((view?.sandboxes ?? []).map((s) => [s.id, s]));
  const containers = new Map<string, CriContainerRecord>((view?.containers ?? []).map((c) => [c.id, c]));
  const sandboxByPid = new Map<number, SandboxRecord>();
  for (const s of sandboxes.values()) if (s.pid) sandboxByPid.set(s.pid, s);
  const containerByPid = new Map<number, CriContainerRecord>();
  for (const c of containers.values()) if (c.pid) containerByPid.set(c.pid, c);
  const byPid = new Map(processes.map((p) => [p.pid, p]));

  const identities = new Map<number, ProcessIdentity>();
  const identify = (p: PsEntry): ProcessIdentity => {
    const known = identities.get(p.pid);
    if (known) return known;
    const identity = identifyOne(p);
    identities.set(p.pid, identity);
    return identity;
  };

  const identifyOne = (p: PsEntry): ProcessIdentity => {
    if (isShim(p.args)) {
      const id = shimId(p.args);
      // Without sandbox grouping (old shims) the id is a container id; map it to its sandbox.
      const sandbox = id ? (sandboxes.get(id) ?? sandboxes.get(containers.get(id)?.sandboxId ?? '')) : undefined;
      return withPod({ kind: 'shim', component: 'containerd-shim', ...(id ? { sandboxId: sandbox?.id ?? id } : {}) }, sandbox);
    }
    const sandbox = sandboxByPid.get(p.pid);
    if (sandbox) return withPod({ kind: 'pause', component: 'pause', sandboxId: sandbox.id }, sandbox);
    const container = containerByPid.get(p.pid);
    if (container) return containerIdentity(container, p, true);
    const parent = byPid.get(p.ppid);
    if (parent && parent.pid !== p.pid) {
      const parentIdentity = identify(parent);
      if (parentIdentity.kind === 'container' && parentIdentity.containerId) {
        const owner = containers.get(parentIdentity.containerId);
        if (owner) return containerIdentity(owner, p, false);
      }
      if (parentIdentity.kind === 'shim' && programName(p.args) === 'pause') {
        return isSandboxPause(p, parentIdentity)
          ? { ...parentIdentity, kind: 'pause', component: 'pause' }
          : { ...parentIdentity, kind: 'container', main: true };
      }
    }
    const component = componentOf(p.args);
    return component ? { kind: 'system', component } : { kind: 'other' };
  };

  /**
   * A /pause child of a shim that crictl gave no pid for. Pods may run the pause image as their app
   * container (the tour's do), and a container that exits between ps and `crictl inspect` has no pid
   * (recorded: test/fixtures/raw/single-churn). So it is the sandbox's pause only when crictl named no
   * other process as that, and it is the shim's first /pause child: the sandbox starts before its
   * containers.
   */
  const isSandboxPause = (p: PsEntry, shim: ProcessIdentity): boolean => {
    if (shim.sandboxId && sandboxes.get(shim.sandboxId)?.pid) return false;
    const siblings = processes.filter((q) => q.ppid === p.ppid && programName(q.args) === 'pause' && !containerByPid.has(q.pid));
    return Math.min(...siblings.map((q) => q.pid)) === p.pid;
  };

  const containerIdentity = (container: CriContainerRecord, p: PsEntry, main: boolean): ProcessIdentity => {
    const sandbox = sandboxes.get(container.sandboxId);
    const component = componentOf(p.args) ?? (main ? componentForContainerName(container.name) : undefined);
    return withPod(
      {
        kind: 'container',
        ...(component ? { component } : {}),
        sandboxId: container.sandboxId,
        containerId: container.id,
        container: container.name,
        main,
      },
      sandbox,
    );
  };

  return [...processes].sort((a, b) => a.pid - b.pid).map((p) => ({ pid: p.pid, ppid: p.ppid, args: p.args, identity: identify(p) }));
}

function withPod(identity: ProcessIdentity, sandbox: SandboxRecord | undefined): ProcessIdentity {
  return sandbox ? { ...identity, pod: { ...sandbox.pod } } : identity;
}

const CONTAINER_COMPONENTS: Record<string, string> = { 'kindnet-cni': 'kindnetd' };

/** Container names of the add-ons kind installs, for programs whose argv[0] is generic (e.g. a wrapper). */
function componentForContainerName(name: string): string | undefined {
  return CONTAINER_COMPONENTS[name] ?? componentOf(name);
}
