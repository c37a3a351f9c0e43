/**
 * A container's own cgroup counters, read on the Docker host: CPU time used so far and memory in
 * use, from the cgroup of the container's init process (/proc/<pid>/cgroup), so it works with the
 * cgroupfs and the systemd driver, cgroup v1 and v2. Counters are hierarchical: a kind node's
 * kubelet, pods and containerd all count. Used by the benches and by the e2e checks that a
 * suspended lab gets no CPU.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupSample {
  /** CPU time used since the container started, in nanoseconds. */
  cpuNs: number;
  /** Memory in use minus inactive file cache (what `docker stats` shows), in bytes. */
  workingSetBytes: number;
}

/**
 * The container's cgroup directories: v1 per controller, v2 one unified path. A container's init
 * may sit below the container's own cgroup (a kind node's systemd moves itself to init.scope), so
 * each path is cut after the segment that names the container id: the whole container counts.
 */
function cgroupDirs(container: string): { cpu: string; memory: string; v2: boolean } {
  const [pid = '', id = ''] = execFileSync('docker', ['inspect', '--format', '{{.State.Pid}} {{.Id}}', container], { encoding: 'utf8' }).trim().split(' ');
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const own = (path: string): string => {
    const segments = path.split('/');
    const at = segments.findIndex((segment) => segment.includes(id));
    return at === -1 ? path : segments.slice(0, at + 1).join('/');
  };
  const v1 = (controller: string) => lines.map((l) => l.split(':')).find(([, controllers]) => controllers?.split(',').includes(controller))?.[2];
  const cpu = v1('cpuacct');
  const memory = v1('memory');
  if (cpu !== undefined && memory !== undefined) {
    const cpuRoot = existsSync('/sys/fs/cgroup/cpuacct') ? '/sys/fs/cgroup/cpuacct' : '/sys/fs/cgroup/cpu,cpuacct';
    return { cpu: join(cpuRoot, own(cpu)), memory: join('/sys/fs/cgroup/memory', own(memory)), v2: false };
  }
  const unified = lines.find((l) => l.startsWith('0::'));
  if (!unified) throw new Error(`no cgroup found for container ${container} (pid ${pid})`);
  const dir = join('/sys/fs/cgroup', own(unified.slice(3)));
  return { cpu: dir, memory: dir, v2: true };
}

function statValue(text: string, key: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** One reading of the container's counters. */
export function readCgroup(container: string): CgroupSample {
  const dirs = cgroupDirs(container);
  if (dirs.v2) {
    const usageUsec = statValue(readFileSync(join(dirs.cpu, 'cpu.stat'), 'utf8'), 'usage_usec');
    const current = Number(readFileSync(join(dirs.memory, 'memory.current'), 'utf8'));
    const inactive = statValue(readFileSync(join(dirs.memory, 'memory.stat'), 'utf8'), 'inactive_file');
    return { cpuNs: usageUsec * 1000, workingSetBytes: current - inactive };
  }
  const cpuNs = Number(readFileSync(join(dirs.cpu, 'cpuacct.usage'), 'utf8'));
  const usage = Number(readFileSync(join(dirs.memory, 'memory.usage_in_bytes'), 'utf8'));
  const inactive = statValue(readFileSync(join(dirs.memory, 'memory.stat'), 'utf8'), 'total_inactive_file');
  return { cpuNs, workingSetBytes: usage - inactive };
}

/** The names of a lab's containers, by kind's and kindlab's labels (never-started records have no cgroup and are left out). */
export function labContainerNames(lab: string): string[] {
  const names = new Set<string>();
  for (const label of [`io.x-k8s.kind.cluster=${lab}`, `dev.kindlab.lab=${lab}`]) {
    const out = execFileSync('docker', ['ps', '--filter', `label=${label}`, '--format', '{{.Names}}'], { encoding: 'utf8' });
    for (const name of out.split('\n').filter(Boolean)) names.add(name);
  }
  return [...names].sort();
}
