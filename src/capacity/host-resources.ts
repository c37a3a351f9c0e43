import { availableParallelism } from 'node:os';
import { KindlabError } from '../common/kindlab-error.js';
import { meminfoBytes, readInotify } from '../host/check-host-limits.js';
import type { HostFilesystem } from '../host/host-filesystem.js';

/** What the host has, for `lab capacity`: read from /proc and the Docker root's filesystem. */
export interface HostResources {
  cores: number;
  memoryAvailableBytes: number;
  memoryTotalBytes: number;
  inotifyMaxUserInstances: number;
  /** The smaller of kernel.pid_max and kernel.threads-max: every thread takes a pid. */
  pidLimit: number;
  /** Threads on the host now (/proc/loadavg's "running/total"). */
  pidsInUse: number;
  dockerRootDir: string;
  diskFreeBytes: number;
}

export async function readHostResources(fs: HostFilesystem, dockerRootDir: string, cores = availableParallelism()): Promise<HostResources> {
  const meminfo = (await fs.readText('/proc/meminfo')) ?? '';
  const inotify = await readInotify(fs);
  const pidMax = await readNumber(fs, '/proc/sys/kernel/pid_max');
  const threadsMax = await readNumber(fs, '/proc/sys/kernel/threads-max');
  const loadavg = (await fs.readText('/proc/loadavg')) ?? '';
  const threads = /\s\d+\/(\d+)\s/.exec(loadavg)?.[1];
  if (threads === undefined) throw new KindlabError(`failed to read the number of threads from /proc/loadavg (${JSON.stringify(loadavg.trim())})`);
  return {
    cores,
    memoryAvailableBytes: meminfoBytes(meminfo, 'MemAvailable'),
    memoryTotalBytes: meminfoBytes(meminfo, 'MemTotal'),
    inotifyMaxUserInstances: inotify.maxUserInstances,
    pidLimit: Math.min(pidMax, threadsMax),
    pidsInUse: Number(threads),
    dockerRootDir,
    diskFreeBytes: await fs.freeBytes(dockerRootDir),
  };
}

async function readNumber(fs: HostFilesystem, path: string): Promise<number> {
  const value = Number.parseInt((await fs.readText(path)) ?? '', 10);
  if (Number.isNaN(value)) throw new KindlabError(`failed to read ${path}`);
  return value;
}
