import { KindlabError } from '../common/kindlab-error.js';
import { detectCgroupMode } from './detect-cgroup-mode.js';
import type { HostFilesystem } from './host-filesystem.js';
import type { HostPrepareResult } from './host-prepare-result.js';
import type { SysctlChange } from './host-state.js';
import { inotifyNeed, type InotifyLimits } from './inotify-need.js';

const GIB = 1024 ** 3;
/** Images (node image ~1 GiB, component images) plus each node's writable layer and /var volume. */
export const DISK_NEED = { baseBytes: 8 * GIB, perNodeBytes: 2 * GIB } as const;
/** A control-plane node settles around 700 MiB; workers need less. One GiB each plus headroom. */
export const MEMORY_NEED = { baseBytes: 1 * GIB, perNodeBytes: 1 * GIB } as const;

const INOTIFY_FILES = {
  maxUserWatches: '/proc/sys/fs/inotify/max_user_watches',
  maxUserInstances: '/proc/sys/fs/inotify/max_user_instances',
} as const;
const SYSCTL_NAMES = { maxUserWatches: 'fs.inotify.max_user_watches', maxUserInstances: 'fs.inotify.max_user_instances' } as const;
export const LIB_MODULES = '/lib/modules';

export interface HostLimitsDeps {
  fs: HostFilesystem;
  isRoot: boolean;
  nodes: number;
  dockerRootDir: string;
  /** Say what would change, change nothing. */
  dryRun?: boolean;
}

export type HostLimits = Pick<HostPrepareResult, 'cgroup' | 'inotify' | 'libModules' | 'disk' | 'memory'> & {
  changes: string[];
  warnings: string[];
  /** The sysctls this call raised, with their values before, for `lab host reset`. */
  sysctls: SysctlChange[];
};

/** Reports cgroups, inotify, /lib/modules, disk and memory; fixes what it can, fails on what it cannot. */
export async function checkHostLimits(deps: HostLimitsDeps): Promise<HostLimits> {
  const { fs } = deps;
  const changes: string[] = [];
  const warnings: string[] = [];

  const cgroup = detectCgroupMode((await fs.readText('/proc/self/mountinfo')) ?? '');
  if (cgroup.mode !== 'v2') {
    warnings.push(
      `cgroup ${cgroup.mode}${cgroup.unifiedMount ? ` (cgroup2 only at ${cgroup.unifiedMount})` : ''}: containers see cgroup v1, ` +
        'so Kubernetes must stay at v1.34 (kubelets from v1.35 refuse cgroup v1 by default)',
    );
  }

  const sysctls: SysctlChange[] = [];
  const inotify = await ensureInotify(deps, changes, sysctls);

  const libModulesExisted = await fs.exists(LIB_MODULES);
  if (!libModulesExisted) {
    if (!deps.isRoot) {
      throw new KindlabError(`${LIB_MODULES} does not exist and kindlab is not root`, {
        hint: `kind bind-mounts ${LIB_MODULES} into every node: create it (mkdir -p ${LIB_MODULES}) as root`,
      });
    }
    if (!deps.dryRun) await fs.mkdirp(LIB_MODULES);
    changes.push(`${deps.dryRun ? 'would create' : 'created'} an empty ${LIB_MODULES}: kind bind-mounts it into every node and this host has none`);
  }

  const disk = {
    path: deps.dockerRootDir,
    freeBytes: await fs.freeBytes(deps.dockerRootDir),
    neededBytes: DISK_NEED.baseBytes + DISK_NEED.perNodeBytes * deps.nodes,
  };
  if (disk.freeBytes < disk.neededBytes) {
    throw new KindlabError(`not enough free disk for ${deps.nodes} nodes under ${disk.path}: ${gib(disk.freeBytes)} free, ${gib(disk.neededBytes)} needed`, {
      hint: 'free space (docker system prune, or remove old images with `docker image ls`) or use fewer nodes (--nodes)',
    });
  }

  const meminfo = (await fs.readText('/proc/meminfo')) ?? '';
  const memory = {
    totalBytes: meminfoBytes(meminfo, 'MemTotal'),
    availableBytes: meminfoBytes(meminfo, 'MemAvailable'),
    neededBytes: MEMORY_NEED.baseBytes + MEMORY_NEED.perNodeBytes * deps.nodes,
  };
  if (memory.availableBytes < memory.neededBytes) {
    throw new KindlabError(`not enough free memory for ${deps.nodes} nodes: ${gib(memory.availableBytes)} available, ${gib(memory.neededBytes)} needed`, {
      hint: 'stop other clusters (`docker ps --filter label=io.x-k8s.kind.cluster`) or use fewer nodes (--nodes)',
    });
  }

  return {
    cgroup,
    inotify,
    libModules: { path: LIB_MODULES, existed: libModulesExisted, created: !libModulesExisted && !deps.dryRun },
    disk,
    memory,
    changes,
    warnings,
    sysctls,
  };
}

async function ensureInotify(deps: HostLimitsDeps, changes: string[], sysctls: SysctlChange[]): Promise<HostLimits['inotify']> {
  const needed = inotifyNeed(deps.nodes);
  const current = await readInotify(deps.fs);
  const low = (Object.keys(INOTIFY_FILES) as (keyof InotifyLimits)[]).filter((key) => current[key] < needed[key]);
  if (low.length === 0) return { current, needed, raised: false, nodes: deps.nodes };
  const fixCommand = low.map((key) => `sysctl -w ${SYSCTL_NAMES[key]}=${needed[key]}`).join(' && ');
  if (!deps.isRoot) {
    throw new KindlabError(`inotify limits are too low for ${deps.nodes} nodes (${describe(current)}; need ${describe(needed)})`, {
      hint: `as root: ${fixCommand}`,
    });
  }
  if (deps.dryRun) {
    for (const key of low) changes.push(`would raise ${SYSCTL_NAMES[key]} from ${current[key]} to ${needed[key]} (${deps.nodes} nodes need ${needed[key]})`);
    return { current, needed, raised: false, nodes: deps.nodes };
  }
  for (const key of low) {
    try {
      await deps.fs.writeText(INOTIFY_FILES[key], `${needed[key]}\n`);
    } catch (error) {
      throw new KindlabError(`failed to raise ${SYSCTL_NAMES[key]} to ${needed[key]}`, {
        cause: error,
        hint: `/proc/sys is read-only here; on the host: ${fixCommand}`,
      });
    }
  }
  const raised = await readInotify(deps.fs);
  for (const key of low) {
    if (raised[key] < needed[key]) throw new KindlabError(`failed to raise ${SYSCTL_NAMES[key]}: it reads ${raised[key]} after writing ${needed[key]}`);
    changes.push(`raised ${SYSCTL_NAMES[key]} from ${current[key]} to ${raised[key]} (${deps.nodes} nodes need ${needed[key]})`);
    sysctls.push({ name: SYSCTL_NAMES[key], path: INOTIFY_FILES[key], previous: current[key], set: raised[key] });
  }
  return { current: raised, needed, raised: true, nodes: deps.nodes };
}

export async function readInotify(fs: HostFilesystem): Promise<InotifyLimits> {
  const read = async (path: string): Promise<number> => {
    const value = Number.parseInt((await fs.readText(path)) ?? '', 10);
    if (Number.isNaN(value)) throw new KindlabError(`failed to read ${path}`);
    return value;
  };
  return { maxUserWatches: await read(INOTIFY_FILES.maxUserWatches), maxUserInstances: await read(INOTIFY_FILES.maxUserInstances) };
}

export function meminfoBytes(meminfo: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo);
  if (!match?.[1]) throw new KindlabError(`failed to read ${key} from /proc/meminfo`);
  return Number(match[1]) * 1024;
}

function describe(limits: InotifyLimits): string {
  return `max_user_watches ${limits.maxUserWatches}, max_user_instances ${limits.maxUserInstances}`;
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}
