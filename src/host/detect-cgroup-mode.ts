export type CgroupMode = 'v1' | 'v2' | 'hybrid';

export interface CgroupLayout {
  mode: CgroupMode;
  /** Where cgroup2 is mounted: /sys/fs/cgroup on v2, usually /sys/fs/cgroup/unified on hybrid. */
  unifiedMount: string | undefined;
  /** v1 controller hierarchies, e.g. cpu, memory, pids. */
  v1Controllers: string[];
}

/**
 * Reads the cgroup layout from /proc/self/mountinfo. "hybrid" is v1 controllers plus an empty
 * cgroup2 tree (systemd's hybrid mode): containers and kubelet see cgroup v1.
 */
export function detectCgroupMode(mountinfo: string): CgroupLayout {
  let unifiedMount: string | undefined;
  let hasV1 = false;
  const v1Controllers: string[] = [];
  for (const line of mountinfo.split('\n')) {
    // Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const mountPoint = before.split(' ')[4];
    const [fsType, , superOptions = ''] = after.split(' ');
    if (!mountPoint?.startsWith('/sys/fs/cgroup')) continue;
    if (fsType === 'cgroup2') unifiedMount ??= mountPoint;
    if (fsType === 'cgroup') {
      hasV1 = true;
      // Super options are rw plus the controllers; name=systemd is a named hierarchy, not a controller.
      v1Controllers.push(...superOptions.split(',').filter((o) => o !== 'rw' && o !== 'ro' && !o.startsWith('name=')));
    }
  }
  const mode: CgroupMode = !hasV1 ? 'v2' : unifiedMount ? 'hybrid' : 'v1';
  return { mode, unifiedMount, v1Controllers };
}
